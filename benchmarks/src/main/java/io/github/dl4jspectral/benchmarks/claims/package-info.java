/**
 * The papers' claims harness ({@code PapersClaims}): experiments under the papers' protocols and ours,
 * resumable result logs, reports and charts.
 * <p>May use: the library, dl4j-spectral-experiments; DL4J, picocli.
 */
package io.github.dl4jspectral.benchmarks.claims;
