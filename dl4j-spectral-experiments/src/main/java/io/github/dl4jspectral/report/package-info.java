/**
 * Locale-independent CSV tables and JFreeChart PNG charts written by the demo and the benchmarks.
 * <p>May use: JFreeChart, {@code files.AtomicWrite} (the library's atomic writes).
 */
package io.github.dl4jspectral.report;
