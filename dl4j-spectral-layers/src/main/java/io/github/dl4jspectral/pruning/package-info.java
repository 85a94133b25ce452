/**
 * Removing hidden nodes by eigenvalue or by the baselines, returning smaller networks; pre- and
 * post-processing strategies and accuracy sweeps.
 */
package io.github.dl4jspectral.pruning;
