/**
 * DL4J's own fit loop, timed per epoch, with an optional progress callback, and test accuracy
 * ({@code Trainer}). Used by the demo and the claims harness.
 * <p>May use: DL4J.
 */
package io.github.dl4jspectral.training;
