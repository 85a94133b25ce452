package io.github.dl4jspectral.pruning;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep's CSV is machine-readable in any locale, and writing it never leaves a half-written file. */
class PruningSweepTest {

    private static final PruningSweep.Table TABLE = new PruningSweep.Table(List.of(
            new PruningSweep.Row("EIGENVALUE", 0, 2.0 / 3, 2500, 4000),
            new PruningSweep.Row("RANDOM", 0.25, 0.5, 1875, 3000)));

    @Test
    void csvHasFiveFieldsPerLineUnderACommaLocale() {
        Locale previous = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("score,fraction,accuracy,trainable,total\nEIGENVALUE,0.0000,0.666667,2500,4000\n"
                    + "RANDOM,0.2500,0.500000,1875,3000\n", TABLE.toCsv().replace(System.lineSeparator(), "\n"));
            assertTrue(TABLE.toString().contains("0.6667"), TABLE.toString());
        } finally {
            Locale.setDefault(previous);
        }
    }

    @Test
    void writeCsvReplacesAFileWholeAndAFailedWriteLeavesWhatWasThere(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("prune.csv");
        Files.writeString(csv, "old");
        TABLE.writeCsv(csv);
        assertEquals(TABLE.toCsv(), Files.readString(csv));

        Path occupied = dir.resolve("occupied");          // a non-empty directory cannot be replaced by a file
        Files.createDirectories(occupied.resolve("inside"));
        assertThrows(IOException.class, () -> TABLE.writeCsv(occupied));
        assertTrue(Files.isDirectory(occupied.resolve("inside")), "what was there is intact");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(occupied, csv), files.sorted().toList(), "no temporary file left behind");
        }
    }
}
