/**
 * The demo command line ({@code SpectralDemo}: compare, train, prune, export).
 * <p>May use: the library, dl4j-spectral-experiments, {@code examples.ui}; DL4J, picocli.
 */
package io.github.dl4jspectral.examples.cli;
