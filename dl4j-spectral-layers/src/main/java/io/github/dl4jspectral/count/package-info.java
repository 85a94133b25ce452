/**
 * Counting trainable against frozen parameters of spectral networks ({@code ParameterCounts},
 * {@code SpectralSummary}).
 * <p>May use: {@code conf}, {@code blocks}, {@code params}; DL4J.
 */
package io.github.dl4jspectral.count;
