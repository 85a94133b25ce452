package io.github.dl4jspectral.files;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A replaced file keeps its permission bits, a new one gets a new file's default; a failed write names the file and
 * leaves the old one (content and mode) and no temporary file.
 */
class AtomicWriteTest {

    private static void assumePosix() {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "POSIX permissions only");
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static void write(Path target, String text) throws IOException {
        AtomicWrite.write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Modes a umask of 022 or 077 would change, and the usual ones. */
    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw-------", "rw-rw-rw-", "r--r--r--", "rwxr-x---"})
    void aReplacedFileKeepsItsMode(String mode, @TempDir Path dir) throws IOException {
        assumePosix();
        Path file = dir.resolve("model.zip");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        write(file, "new content");
        assertEquals("new content", Files.readString(file));
        assertEquals(mode, mode(file));
        assertEquals(List.of(file), listing(dir));
    }

    @Test
    void aNewFileGetsTheModeOfAnyNewFile(@TempDir Path dir) throws IOException {
        assumePosix();
        String expected = mode(Files.createFile(dir.resolve("made-by-createFile")));
        Path file = dir.resolve("sub/compare.csv");
        write(file, "a,b\n");
        assertEquals(expected, mode(file), "the umask's default, as Files.createFile gives in the same directory");
        write(file, "a,b\n1,2\n");
        assertEquals(expected, mode(file));
    }

    @Test
    void aFullDiskNamesTheFileAndLeavesTheOldOne(@TempDir Path dir) throws IOException {
        assumePosix();
        Path file = dir.resolve("model.zip");
        Files.writeString(file, "the old model");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        IOException e = assertThrows(IOException.class, () -> AtomicWrite.write(file, out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        }));
        assertEquals("writing " + file + ": No space left on device", e.getMessage());
        assertEquals("the old model", Files.readString(file));
        assertEquals("rw-r-----", mode(file));
        assertEquals(List.of(file), listing(dir), "no temporary file left behind");
    }

    @Test
    void aParentThatIsARegularFileIsNamed(@TempDir Path dir) throws IOException {
        Path regular = Files.writeString(dir.resolve("afile"), "not a directory");
        Path target = regular.resolve("x.zip");
        IOException e = assertThrows(IOException.class, () -> write(target, "x"));
        assertEquals("writing " + target + ": file already exists (" + regular + ")", e.getMessage());
        assertEquals("not a directory", Files.readString(regular));
    }
}
