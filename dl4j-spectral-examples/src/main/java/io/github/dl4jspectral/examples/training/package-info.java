/**
 * DL4J's own fit loop, timed per epoch.
 */
package io.github.dl4jspectral.examples.training;
