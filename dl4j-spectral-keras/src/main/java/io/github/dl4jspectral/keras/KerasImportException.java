package io.github.dl4jspectral.keras;

import java.io.IOException;

/**
 * A Keras H5 file that cannot be imported: not an HDF5 file, no model configuration, a layer DL4J cannot import, a
 * Spectral layer without its weights or with weights of the wrong shapes. The message names the file and the layer
 * or attribute, what was found and what was expected.
 */
public class KerasImportException extends IOException {

    public KerasImportException(String message) {
        super(message);
    }

    public KerasImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
