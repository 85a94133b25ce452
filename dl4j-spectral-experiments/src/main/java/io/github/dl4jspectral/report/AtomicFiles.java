package io.github.dl4jspectral.report;

import io.github.dl4jspectral.files.AtomicWrite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes a file so that a reader only ever sees the old content or the complete new one: the content goes to a
 * temporary file in the target's directory ({@code .NAME.*.tmp}), is forced to disk, and is then renamed over the
 * target in one atomic step. If writing fails (a full disk, an exception of the writer, a killed process) the old
 * file is untouched, and the temporary file is deleted (a killed process may leave it, never the target half
 * written). Every file the examples and benchmarks write (models, CSV, markdown, charts) goes through here; the
 * implementation is the library's {@link AtomicWrite}.
 */
public final class AtomicFiles {

    /** Writes the whole content to the stream it is given, which the caller closes. */
    @FunctionalInterface
    public interface Content extends AtomicWrite.Content {
    }

    private AtomicFiles() {
    }

    /** Replaces {@code target} (creating its directory) by what {@code content} writes, atomically. */
    public static void write(Path target, Content content) throws IOException {
        AtomicWrite.write(target, content);
    }

    /**
     * Renames the complete file {@code complete} over {@code target} in one atomic step (a plain replacing move only
     * where the filesystem has no atomic rename), for writers that manage their own temporary file beside the target.
     */
    public static void replace(Path complete, Path target) throws IOException {
        AtomicWrite.replace(complete, target);
    }

    /** Replaces {@code target} by {@code text} in UTF-8, atomically. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
