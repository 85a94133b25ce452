/**
 * Locale-independent CSV tables and JFreeChart PNG charts written by the demo and the benchmarks. May use
 * JFreeChart only.
 */
package io.github.dl4jspectral.report;
