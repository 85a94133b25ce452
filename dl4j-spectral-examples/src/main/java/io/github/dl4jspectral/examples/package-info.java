/**
 * Runnable examples (Iris comparison) and the pieces the demo and the benchmarks share.
 */
package io.github.dl4jspectral.examples;
