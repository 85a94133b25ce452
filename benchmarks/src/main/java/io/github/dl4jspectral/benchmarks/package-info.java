/**
 * Speed and memory benchmarks (interleaved rounds, JMH) of the network variants ({@code Variant}).
 */
package io.github.dl4jspectral.benchmarks;
