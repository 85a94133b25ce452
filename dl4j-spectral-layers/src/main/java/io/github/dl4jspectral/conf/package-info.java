/**
 * Layer configurations (the DL4J "conf" side): {@code SpectralDenseLayer}, {@code SpectralOutputLayer}, the
 * conventional {@code SparseDenseLayer}, and the immutable settings they share (presets, trainable groups,
 * initialization, eigenvector block, magnitude sparsity), with their validation.
 * <p>May use: {@code blocks} (the eigenvector block of the settings), {@code layers} and {@code params}
 * (to instantiate and initialize a layer, as DL4J's own configurations do), {@code cpu} (the CPU speed check
 * on a layer's first instantiation); DL4J and ND4J.
 */
package io.github.dl4jspectral.conf;
