/**
 * Collapsing spectral layers into plain DL4J dense and output layers with the effective weights.
 */
package io.github.dl4jspectral.export;
