/**
 * Experiments on networks trained without this library: eigenvalue fine-tuning of a spectralized network on a
 * transfer task against head-only, full and low-rank-adapter fine-tuning, and pruning by learned eigenvalues against
 * magnitude, connectivity and random node pruning.
 * <p>May use: the library, dl4j-spectral-experiments, {@code benchmarks.claims} (result log, statistics); DL4J, picocli.
 */
package io.github.dl4jspectral.benchmarks.transfer;
