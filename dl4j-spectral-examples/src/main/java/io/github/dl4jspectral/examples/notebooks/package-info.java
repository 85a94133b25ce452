/**
 * The notebooks' tooling: {@code RapaioNotebooks} generates the rapaio-jupyter-kernel variant of each JJava notebook
 * under {@code dl4j-spectral-examples/notebooks}. Uses only the JDK and ND4J's shaded Jackson (for the notebook JSON)
 * and the zoo's {@code report.AtomicFiles}; nothing here runs a network.
 */
package io.github.dl4jspectral.examples.notebooks;
