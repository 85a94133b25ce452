package io.github.dl4jspectral.benchmarks;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link FitStepBenchmark} in interleaved rounds: each round runs every variant once (one JMH fork
 * each), so slow phases of a shared, noisy machine hit all variants alike. Each variant's time is
 * divided by the DenseLayer's time of the same round, and by its {@link Variant#twin()}'s (a SameDiff
 * variant's native twin); the table gives the median ratio over rounds and the spread (min - max). Raw
 * per-round scores go to a CSV file.
 *
 * <p>Usage: {@code InterleavedRounds [suite] [rounds]}: suite {@code spectral} (784-500-10, batch 128:
 * DENSE, the spectral presets native and SameDiff; CSV results/fit-step.csv) or {@code lowrank}
 * (784-1024-10, batch 256: DENSE and LOW_RANK at ranks 8, 32, 128; CSV results/low-rank.csv); default
 * {@code spectral 3}.
 */
public final class InterleavedRounds {

    private static final String[] BENCHMARKS = {"fitStep", "output"};

    /** A set of variants compared in one run, at one shape. */
    record Suite(int hidden, int batch, List<Variant> variants, String csv) {
    }

    private static final Map<String, Suite> SUITES = Map.of(
            "spectral", new Suite(500, 128, List.of(Variant.DENSE, Variant.SPECTRAL_EIGENVALUES, Variant.SPECTRAL_FULL,
                    Variant.SAMEDIFF_EIGENVALUES, Variant.SAMEDIFF_FULL), "benchmarks/results/fit-step.csv"),
            "lowrank", new Suite(1024, 256, List.of(Variant.DENSE, Variant.LOW_RANK_8, Variant.LOW_RANK_32,
                    Variant.LOW_RANK_128), "benchmarks/results/low-rank.csv"));

    public static void main(String[] args) throws RunnerException, IOException {
        String suiteName = args.length > 0 ? args[0] : "spectral";
        Suite suite = SUITES.get(suiteName);
        if (suite == null) {
            throw new IllegalArgumentException("unknown suite " + suiteName + "; expected one of " + SUITES.keySet());
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path csv = Path.of(suite.csv());
        // scores[benchmark][variant][round], milliseconds per call
        Map<String, Map<Variant, double[]>> scores = new java.util.LinkedHashMap<>();
        for (String b : BENCHMARKS) {
            Map<Variant, double[]> perVariant = new EnumMap<>(Variant.class);
            for (Variant v : suite.variants()) {
                perVariant.put(v, new double[rounds]);
            }
            scores.put(b, perVariant);
        }
        for (int round = 0; round < rounds; round++) {
            for (Variant variant : suite.variants()) {
                Options options = new OptionsBuilder()
                        .include(FitStepBenchmark.class.getName() + "\\.(" + String.join("|", BENCHMARKS) + ")$")
                        .param("variant", variant.name())
                        .param("hidden", String.valueOf(suite.hidden()))
                        .param("batch", String.valueOf(suite.batch()))
                        .forks(1).warmupIterations(3).warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                        .measurementIterations(5).measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                        .build();
                for (RunResult result : new Runner(options).run()) {
                    String label = result.getParams().getBenchmark();
                    String benchmark = label.substring(label.lastIndexOf('.') + 1);
                    scores.get(benchmark).get(variant)[round] = result.getPrimaryResult().getScore();
                }
            }
        }
        write(csv, scores, rounds);
        System.out.println(table(scores, rounds));
    }

    private static void write(Path csv, Map<String, Map<Variant, double[]>> scores, int rounds) throws IOException {
        Files.createDirectories(csv.toAbsolutePath().getParent());
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            out.println("benchmark,variant,round,ms_per_call,ratio_to_dense,twin,ratio_to_twin");
            scores.forEach((benchmark, perVariant) -> perVariant.forEach((variant, values) -> {
                for (int r = 0; r < rounds; r++) {
                    out.printf("%s,%s,%d,%.4f,%.4f,%s,%.4f%n", benchmark, variant, r, values[r],
                            values[r] / perVariant.get(Variant.DENSE)[r], variant.twin(),
                            values[r] / perVariant.get(variant.twin())[r]);
                }
            }));
        }
    }

    private static String table(Map<String, Map<Variant, double[]>> scores, int rounds) {
        StringBuilder t = new StringBuilder("| benchmark | variant | median ms | ratio to DENSE: median (min - max) "
                + "| compared with | ratio to it: median (min - max) |\n|---|---|---|---|---|---|\n");
        scores.forEach((benchmark, perVariant) -> perVariant.forEach((variant, values) -> t.append(String.format(
                "| %s | %s | %.3f | %s | %s | %s |%n", benchmark, variant, median(values),
                ratios(values, perVariant.get(Variant.DENSE), rounds), variant.twin(),
                ratios(values, perVariant.get(variant.twin()), rounds)))));
        return t.toString();
    }

    /** "median (min - max)" of the per-round ratios values[r] / reference[r]. */
    private static String ratios(double[] values, double[] reference, int rounds) {
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = values[r] / reference[r];
        }
        return String.format("%.3f (%.3f - %.3f)", median(ratios), Arrays.stream(ratios).min().orElse(0),
                Arrays.stream(ratios).max().orElse(0));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
