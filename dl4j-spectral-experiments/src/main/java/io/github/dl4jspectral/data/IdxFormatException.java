package io.github.dl4jspectral.data;

/** An IDX file that is corrupt or does not match its partner; the message names the file. */
public class IdxFormatException extends IllegalStateException {

    public IdxFormatException(String message) {
        super(message);
    }

    public IdxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
