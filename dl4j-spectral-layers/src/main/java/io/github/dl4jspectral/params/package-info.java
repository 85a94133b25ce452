/**
 * Parameter layout and initialization of spectral layers (the DL4J "params" side).
 * <p>May use: {@code conf}, {@code blocks}; DL4J.
 */
package io.github.dl4jspectral.params;
