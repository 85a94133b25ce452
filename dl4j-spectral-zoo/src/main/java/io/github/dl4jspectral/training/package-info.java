/**
 * DL4J's own fit loop, timed per epoch, with an optional progress callback, and test accuracy
 * ({@code Trainer}). May use DL4J only; used by the demo and the claims harness.
 */
package io.github.dl4jspectral.training;
