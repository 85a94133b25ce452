/**
 * Speed and memory benchmarks (interleaved rounds, JMH) of the network variants ({@code Variant}).
 * <p>May use: the library, dl4j-spectral-experiments; DL4J, JMH.
 */
package io.github.dl4jspectral.benchmarks;
