package io.github.dl4jspectral.benchmarks.claims;

import java.util.Arrays;

/**
 * Mean and spread of one figure over seeds.
 *
 * @param n    number of values (seeds)
 * @param mean arithmetic mean
 * @param std  sample standard deviation (n - 1 in the denominator; 0 for a single value)
 * @param min  smallest value
 * @param max  largest value
 */
public record Stats(int n, double mean, double std, double min, double max) {

    /** The statistics of {@code values} (at least one). */
    public static Stats of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("Stats of no values; expected at least one");
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        double std = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0;
        return new Stats(values.length, mean, std, Arrays.stream(values).min().orElseThrow(),
                Arrays.stream(values).max().orElseThrow());
    }
}
