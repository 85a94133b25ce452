package io.github.dl4jspectral.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that a reader sees either its old content or the complete new one: the content goes to a
 * temporary file in the target's directory ({@code .NAME.*.tmp}), is forced to disk and renamed over the target in one
 * atomic step ({@link #replace}); if writing fails (a full disk, an exception of the writer) the target is untouched
 * and the temporary file is deleted (a killed process may leave it, never the target half written). The one
 * implementation of atomic writes: the library's files (compact model files, pruning CSV) and, through the zoo's
 * {@code report.AtomicFiles}, everything the examples and benchmarks write.
 */
public final class AtomicWrite {

    /** Writes the whole content to {@code out}; {@code out} is closed by the caller. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicWrite() {
    }

    /** Replaces {@code target} (creating its directory) by what {@code content} writes, atomically. */
    public static void write(Path target, Content content) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
                content.writeTo(out);
            }
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            replace(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Renames the complete file {@code complete} over {@code target} in one atomic step (a plain replacing move only
     * where the filesystem has no atomic rename), for writers that manage their own temporary file beside the target.
     */
    public static void replace(Path complete, Path target) throws IOException {
        try {
            Files.move(complete, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(complete, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
