/**
 * The spectral map as a SameDiff graph: the layer for DL4J networks and the op for a user's own graph.
 * <p>May use: {@code conf}, {@code blocks}, {@code layers} (the magnitude rule, the input check, the pre-activation handoff), {@code params}; DL4J, SameDiff. Nothing
 * else in the library uses it.
 */
package io.github.dl4jspectral.samediff;
