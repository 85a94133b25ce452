package io.github.dl4jspectral.report;

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

/** A failed write never destroys what was there and leaves no debris; a good one replaces it whole. */
class AtomicFilesTest {

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void aWriteThatFailsHalfwayLeavesTheOldFileAndNoDebris(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model.zip");
        Files.writeString(model, "the old model");

        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(model, out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        }));

        assertEquals("writing " + model + ": No space left on device", e.getMessage());
        assertEquals("the old model", Files.readString(model));
        assertEquals(List.of(model), listing(dir), "no temporary file left behind");
    }

    @Test
    void aCompleteWriteReplacesTheFileAndCreatesItsDirectory(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("new/sub/table.csv");
        AtomicFiles.writeString(csv, "first");
        AtomicFiles.writeString(csv, "second, longer content");
        assertEquals("second, longer content", Files.readString(csv));
        assertEquals(List.of(csv), listing(csv.getParent()));
    }

    @Test
    void csvNumbersIgnoreACommaLocale(@TempDir Path dir) throws IOException {
        Locale previous = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            Path csv = dir.resolve("t.csv");
            Csv.write(csv, List.of("name", "value"), List.of(List.of("a", 0.25), List.of("b", 1234.5)));
            assertEquals("name,value\na,0.250000\nb,1234.50\n", Files.readString(csv));
        } finally {
            Locale.setDefault(previous);
        }
    }
}
