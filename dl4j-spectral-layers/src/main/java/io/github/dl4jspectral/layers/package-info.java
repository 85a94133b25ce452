/**
 * The native runtime layers (the DL4J "layers" side): the hand-written forward and backward passes of a
 * spectral map ({@code SpectralMap}, {@code LowRankMap} for factored blocks), the effective weights, and the
 * magnitude rule of sparsified maps.
 */
package io.github.dl4jspectral.layers;
