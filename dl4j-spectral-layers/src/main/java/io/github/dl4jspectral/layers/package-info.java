/**
 * The native runtime layers (the DL4J "layers" side): the hand-written forward and backward passes of a
 * spectral map ({@code SpectralMap}, one per runtime layer with what it holds between passes; {@code FactoredMap} for
 * factored blocks), the effective weights, and the magnitude rule of sparsified maps.
 * <p>May use: {@code conf}, {@code blocks}; DL4J and ND4J.
 */
package io.github.dl4jspectral.layers;
