/**
 * Writing files so that a failed write never destroys what was there ({@link io.github.dl4jspectral.files.AtomicWrite}).
 * <p>May use: the JDK only. Used by {@code compact}, {@code pruning} and the zoo's {@code report.AtomicFiles}.
 */
package io.github.dl4jspectral.files;
