package io.github.dl4jspectral.compact;

import java.nio.file.Path;

/**
 * A compact model file that cannot be read as it was written: not a readable zip, a missing, oversized or malformed
 * entry, an entry or group whose bytes or values differ from the checksum written with them, or sizes that disagree
 * with the configuration. The message names the file and the entry (and, for a parameter group, the layer and group),
 * what was found and what was expected. The reader of {@link CompactModelFile} reports every problem of a file's
 * content this way; only I/O errors of the file system (a missing or unreadable file) are other {@code IOException}s.
 */
public class CompactModelException extends IllegalStateException {

    public CompactModelException(String message) {
        super(message);
    }

    public CompactModelException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "FILE: entry ENTRY: PROBLEM". */
    static CompactModelException in(Path file, String entry, String problem) {
        return new CompactModelException(file + ": entry " + entry + ": " + problem);
    }

    /** "FILE: entry ENTRY: PROBLEM (the cause's message)", keeping the cause. */
    static CompactModelException in(Path file, String entry, String problem, Throwable cause) {
        return new CompactModelException(file + ": entry " + entry + ": " + problem + " (" + cause + ")", cause);
    }
}
