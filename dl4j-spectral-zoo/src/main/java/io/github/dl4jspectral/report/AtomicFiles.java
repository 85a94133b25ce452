package io.github.dl4jspectral.report;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that a reader only ever sees the old content or the complete new one: the content goes to a
 * temporary file in the target's directory ({@code .NAME.*.tmp}), is forced to disk, and is then renamed over the
 * target in one atomic step. If writing fails (a full disk, an exception of the writer, a killed process) the old
 * file is untouched, and the temporary file is deleted (a killed process may leave it, never the target half
 * written). Every file the examples and benchmarks write (models, CSV, markdown, charts) goes through here.
 */
public final class AtomicFiles {

    /** Writes the whole content to {@code out}; {@code out} is closed by the caller. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
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

    /** Replaces {@code target} by {@code text} in UTF-8, atomically. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
