/**
 * Named 784-h-10 networks ({@code ModelSpec}) of the demo and the claims harness.
 */
package io.github.dl4jspectral.examples.models;
