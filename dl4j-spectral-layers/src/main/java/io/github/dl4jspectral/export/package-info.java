/**
 * Collapsing spectral layers into plain DL4J dense and output layers with the effective weights.
 * <p>May use: {@code conf} (through {@code SpectralLayerConfig}), {@code layers} (the effective weights); DL4J.
 */
package io.github.dl4jspectral.export;
