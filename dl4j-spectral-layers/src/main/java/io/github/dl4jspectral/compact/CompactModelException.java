package io.github.dl4jspectral.compact;

/**
 * A compact model file that cannot be read as it was written: not a compact file, a missing or malformed entry, or a
 * group whose regenerated or stored values differ from the checksum written with them. The message names the file,
 * the layer and group, what was found and what was expected.
 */
public class CompactModelException extends IllegalStateException {

    public CompactModelException(String message) {
        super(message);
    }

    public CompactModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
