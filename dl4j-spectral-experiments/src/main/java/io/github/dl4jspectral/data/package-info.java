/**
 * Fashion-MNIST and Iris for the examples and benchmarks: locating (Debian package, DL4J's resources directory,
 * an opt-in download, the subset bundled in this module's jar), reading the IDX format and iterating minibatches;
 * Iris from the file inside deeplearning4j-core.
 * <p>May use: DL4J, SLF4J, {@code report.AtomicFiles}. Not the library.
 */
package io.github.dl4jspectral.data;
