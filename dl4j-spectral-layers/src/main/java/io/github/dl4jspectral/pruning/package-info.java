/**
 * Removing hidden nodes by eigenvalue or by the baselines, returning smaller networks; pre- and
 * post-processing strategies and accuracy sweeps.
 * <p>May use: {@code conf} (through {@code SpectralLayerConfig}, never a particular layer class), {@code blocks},
 * {@code layers}, {@code count}, {@code files}; DL4J.
 */
package io.github.dl4jspectral.pruning;
