package io.github.dl4jspectral.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file so that a reader sees either its old content or the complete new one: the content goes to a
 * temporary file in the target's directory ({@code .NAME.*.tmp}), is forced to disk and renamed over the target in one
 * atomic step ({@link #replace}); if writing fails (a full disk, an exception of the writer) the target is untouched,
 * the temporary file is deleted (a killed process may leave it, never the target half written) and the
 * {@link IOException} names the target ("writing FILE: reason"). A replaced file keeps its POSIX permission bits; a
 * new file gets the ones any program's new file gets (0666 less the umask), as an editor does. The one
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

    /**
     * Replaces {@code target} (creating its directory) by what {@code content} writes, atomically.
     *
     * @throws IOException "writing TARGET: reason" if the content cannot be written, forced to disk or renamed over
     *                     the target (a full disk: "writing TARGET: No space left on device"); the target is untouched
     */
    public static void write(Path target, Content content) throws IOException {
        try {
            writeThroughTemporary(target, content);
        } catch (IOException e) {
            throw new IOException("writing " + target + ": " + reason(e, target), e);
        }
    }

    /**
     * What went wrong, without the target's path: a file-system error's reason (or its kind, "file already exists")
     * and the other file it concerns (a parent that is a regular file, ...), else the message.
     */
    private static String reason(IOException e, Path target) {
        if (!(e instanceof FileSystemException f)) {
            return e.getMessage() != null ? e.getMessage() : e.toString();
        }
        String reason = f.getReason() != null ? f.getReason() : f.getClass().getSimpleName()
                .replaceAll("Exception$", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        String file = f.getFile();
        boolean other = file != null && !Path.of(file).getFileName().toString().startsWith("." + target.getFileName() + ".")
                && !Path.of(file).toAbsolutePath().equals(target.toAbsolutePath());
        return other ? reason + " (" + file + ")" : reason;
    }

    private static void writeThroughTemporary(Path target, Content content) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = createTemporary(directory, target);
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary, StandardOpenOption.WRITE))) {
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
     * A new empty file {@code .NAME.RANDOM.tmp} in {@code directory} with {@code target}'s permission bits if it
     * exists, else the default ones of a new file (what {@link Files#createFile} gives: 0666 less the umask; not the
     * 0600 of {@link Files#createTempFile}).
     */
    private static Path createTemporary(Path directory, Path target) throws IOException {
        while (true) {
            Path temporary = directory.resolve("." + target.getFileName() + "." + Long.toUnsignedString(
                    ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                Files.createFile(temporary);
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            PosixFileAttributeView posix = Files.getFileAttributeView(target, PosixFileAttributeView.class);
            if (posix != null && Files.isRegularFile(target)) {
                try {
                    Files.setPosixFilePermissions(temporary, posix.readAttributes().permissions());
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(temporary);
                    throw e;
                }
            }
            return temporary;
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
