/**
 * Runnable examples: the Iris comparison ({@code IrisComparison}); the demo command line lives in {@code cli},
 * the DL4J training UI hookup in {@code ui}.
 * <p>May use: the library, dl4j-spectral-experiments; DL4J.
 */
package io.github.dl4jspectral.examples;
