/**
 * The notebooks' tooling: {@code RapaioNotebooks} generates the rapaio-jupyter-kernel variant of each JJava notebook
 * under {@code dl4j-spectral-examples/notebooks}; nothing here runs a network.
 * <p>May use: ND4J (its shaded Jackson, for the notebook JSON), {@code report.AtomicFiles}; the JDK.
 */
package io.github.dl4jspectral.examples.notebooks;
