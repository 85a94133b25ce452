/**
 * The papers' claims harness ({@code PapersClaims}): experiments under the papers' protocols and ours,
 * resumable result logs, reports and charts.
 */
package io.github.dl4jspectral.benchmarks.claims;
