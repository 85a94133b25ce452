/**
 * Parameter layout and initialization of spectral layers (the DL4J "params" side).
 */
package io.github.dl4jspectral.params;
