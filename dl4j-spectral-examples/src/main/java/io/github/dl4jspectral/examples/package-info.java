/**
 * Runnable examples: the Iris comparison ({@code IrisComparison}); the demo command line lives in {@code cli},
 * the DL4J training UI hookup in {@code ui}. May use the library and dl4j-spectral-zoo.
 */
package io.github.dl4jspectral.examples;
