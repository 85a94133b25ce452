/**
 * The spectral map as a SameDiff graph: the layer for DL4J networks and the op for a user's own graph.
 */
package io.github.dl4jspectral.samediff;
