/**
 * Locale-independent CSV tables and JFreeChart PNG charts written by the demo and the benchmarks. May use
 * JFreeChart, and the library's {@code files.AtomicWrite} for atomic writes.
 */
package io.github.dl4jspectral.report;
