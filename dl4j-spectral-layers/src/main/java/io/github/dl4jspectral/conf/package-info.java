/**
 * Layer configurations (the DL4J "conf" side): {@code SpectralDenseLayer}, {@code SpectralOutputLayer}, the
 * conventional {@code SparseDenseLayer}, and the immutable settings they share (presets, trainable groups,
 * initialization, eigenvector block, magnitude sparsity), with their validation.
 */
package io.github.dl4jspectral.conf;
