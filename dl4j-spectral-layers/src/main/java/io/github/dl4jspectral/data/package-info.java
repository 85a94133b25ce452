/**
 * Fashion-MNIST and Iris for the examples and benchmarks: locating, reading and iterating the data.
 */
package io.github.dl4jspectral.data;
