/**
 * The project's one model zoo: {@code ModelSpec} names every nIn - hidden - nOut network the demo, the claims
 * harness and the speed benchmarks build (family, rank or density, native / SameDiff / exported). Nothing in the
 * library uses it.
 * <p>May use: the library (conf, samediff, export); DL4J.
 */
package io.github.dl4jspectral.zoo;
