/**
 * Counting trainable against frozen parameters of spectral networks ({@code ParameterCounts},
 * {@code SpectralSummary}).
 */
package io.github.dl4jspectral.count;
