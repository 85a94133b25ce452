/**
 * Converting the dense maps of a trained plain DL4J network into spectral layers with the same outputs
 * ({@code phi = W}, {@code lambdaIn = 0}, {@code lambdaOut = -1}), so that its eigenvalues can be tuned or used for
 * pruning; the inverse of {@code export}.
 * <p>May use: {@code conf} (the spectral layer configurations it builds); DL4J and ND4J.
 */
package io.github.dl4jspectral.spectralize;
