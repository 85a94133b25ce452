package io.github.dl4jspectral.benchmarks;

import io.github.dl4jspectral.report.AtomicFiles;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs {@link FitStepBenchmark} ({@code fitStep} and {@code output}) in interleaved rounds: each round visits
 * every shape of the suite, measures ND4J's gemm rates at that shape ({@link GemmRates}) and then runs every
 * variant once under each {@link RunSetting} of the suite (one JMH fork per variant, setting and benchmark), the
 * order of the (setting, variant) pairs rotated from round to round. Slow
 * phases of a shared machine so hit all variants alike. Each variant's time is divided by the DENSE time of the
 * same round, shape and setting, by its {@link Variant#twin()}'s, and by the FLOP floor of that round and shape (the
 * summed times of the DenseLayer network's gemms at the measured rates: six for a fit step, the two forward ones
 * for an output call; the rates are measured in the runner's JVM, which runs the shipped setting with all cores);
 * tables give the median over rounds and the spread (min - max) of the per-round ratios, and with several
 * settings each variant's time under every setting divided by its time under the first, round by round.
 *
 * <p>Usage: {@code InterleavedRounds [suite] [rounds] [key=value ...]}, default {@code spectral 3}. Suites:
 * <ul>
 *   <li>{@code matrix}: every variant at 784-500-10 batch 128 and 2048-2048-10 batch 256 (CSV
 *       results/matrix.csv, gemm rates results/matrix-gemm.csv, tables results/matrix.md);</li>
 *   <li>{@code spectral}: DENSE and the spectral presets, native and SameDiff, at 784-500-10 batch 128
 *       (results/fit-step.csv);</li>
 *   <li>{@code lowrank}: DENSE and LOW_RANK at ranks 8, 32, 128, at 784-1024-10 batch 256 (results/low-rank.csv);</li>
 *   <li>{@code magnitude}: DENSE, SPECTRAL_FULL, MAGNITUDE_90 (the QR network sparsified; twin QR_FULL: the cost of the selection),
 *       MAGNITUDE_DENSE_90, SVD_FULL and QR_FULL at both matrix shapes (results/magnitude.csv, .md);</li>
 *   <li>{@code speed}: DENSE, the native presets EIGENVALUES and FULL and their SameDiff twins, and MAGNITUDE_90
 *       with QR_FULL, at both matrix shapes, each under the shipped setting and the bare default side by side
 *       (results/speed.csv, .md);</li>
 *   <li>{@code threads}: DENSE and SPECTRAL_EIGENVALUES at both matrix shapes with 1 and 2 native threads, shipped
 *       setting (results/threads.csv, .md);</li>
 *   <li>{@code memory}: runs {@link MemoryFootprint} instead (deterministic, no rounds).</li>
 * </ul>
 * Options (also as one space-separated argument): {@code warmup=N} warm-up iterations (default 2),
 * {@code iterations=N} measured iterations (default 3), {@code time=MS} milliseconds per iteration (default 1000),
 * {@code variants=DENSE,SPECTRAL_FULL} (must include DENSE) and {@code shapes=0,1} (indices into the suite's
 * shapes) to run a subset, {@code name=NAME} to write results/NAME.csv and .md instead of the suite's files (e.g.
 * for a run under other ND4J/OpenMP environment settings), {@code settings=shipped,bare,shipped:1} to choose the
 * {@link RunSetting}s (the first is the reference of the side-by-side table; {@code bare} refuses to run when
 * {@code OMP_WAIT_POLICY} or {@code GOMP_SPINCOUNT} is set, since then the forks would not see the default),
 * {@code gemmSamples=N} timed batches of {@code gemmMillis=MS} per gemm (default 5 x 200). A smoke run:
 * {@code InterleavedRounds matrix 1 warmup=0 iterations=1 time=100 gemmSamples=1 gemmMillis=20}.
 */
public final class InterleavedRounds {

    private static final String[] BENCHMARKS = {"fitStep", "output"};
    private static final List<RunSetting> SHIPPED = List.of(RunSetting.SHIPPED);

    /** A set of variants compared in one run, at one or more shapes, under one or more settings. */
    record Suite(List<Shape> shapes, List<Variant> variants, List<RunSetting> settings, String name) {
        Path csv() {
            return Path.of("benchmarks/results/" + name + ".csv");
        }
    }

    private static final Map<String, Suite> SUITES = Map.of(
            "matrix", new Suite(List.of(Shape.MNIST, Shape.WIDE), List.of(Variant.values()), SHIPPED, "matrix"),
            "spectral", new Suite(List.of(Shape.MNIST), List.of(Variant.DENSE, Variant.SPECTRAL_EIGENVALUES_OUT,
                    Variant.SPECTRAL_EIGENVALUES, Variant.SPECTRAL_FULL, Variant.SAMEDIFF_EIGENVALUES_OUT,
                    Variant.SAMEDIFF_EIGENVALUES, Variant.SAMEDIFF_FULL), SHIPPED, "fit-step"),
            "lowrank", new Suite(List.of(new Shape(784, 1024, 10, 256)), List.of(Variant.DENSE, Variant.LOW_RANK_8,
                    Variant.LOW_RANK_32, Variant.LOW_RANK_128), SHIPPED, "low-rank"),
            "magnitude", new Suite(List.of(Shape.MNIST, Shape.WIDE), List.of(Variant.DENSE, Variant.SPECTRAL_FULL,
                    Variant.MAGNITUDE_90, Variant.MAGNITUDE_DENSE_90, Variant.SVD_FULL, Variant.QR_FULL), SHIPPED,
                    "magnitude"),
            "speed", new Suite(List.of(Shape.MNIST, Shape.WIDE), List.of(Variant.DENSE, Variant.SPECTRAL_EIGENVALUES,
                    Variant.SPECTRAL_FULL, Variant.SAMEDIFF_EIGENVALUES, Variant.SAMEDIFF_FULL, Variant.MAGNITUDE_90,
                    Variant.QR_FULL), List.of(RunSetting.SHIPPED, RunSetting.BARE), "speed"),
            "threads", new Suite(List.of(Shape.MNIST, Shape.WIDE), List.of(Variant.DENSE, Variant.SPECTRAL_EIGENVALUES),
                    List.of(new RunSetting(true, 1), new RunSetting(true, 2)), "threads"));

    /** Run settings: JMH iterations and the gemm timing. */
    record Settings(int warmup, int iterations, int millis, int gemmSamples, int gemmMillis) {
        /** Rough wall-clock seconds of one JMH fork (JVM start, setup, iterations). */
        double forkSeconds() {
            return 3.3 + (warmup + iterations) * Math.max(millis, 150) / 1000.0;
        }
    }

    /** Milliseconds per call: [setting][shape][benchmark][variant][round]. */
    private final Map<RunSetting, Map<Shape, Map<String, Map<Variant, double[]>>>> scores = new LinkedHashMap<>();
    /** Milliseconds per gemm call: [shape][gemm][round]. */
    private final Map<Shape, Map<GemmRates.Gemm, double[]>> gemms = new LinkedHashMap<>();
    private final Suite suite;
    private final int rounds;
    private final Settings settings;

    private InterleavedRounds(Suite suite, int rounds, Settings settings) {
        this.suite = suite;
        this.rounds = rounds;
        this.settings = settings;
        for (RunSetting setting : suite.settings()) {
            Map<Shape, Map<String, Map<Variant, double[]>>> perShape = new LinkedHashMap<>();
            for (Shape shape : suite.shapes()) {
                Map<String, Map<Variant, double[]>> perBenchmark = new LinkedHashMap<>();
                for (String b : BENCHMARKS) {
                    Map<Variant, double[]> perVariant = new EnumMap<>(Variant.class);
                    suite.variants().forEach(v -> perVariant.put(v, new double[rounds]));
                    perBenchmark.put(b, perVariant);
                }
                perShape.put(shape, perBenchmark);
            }
            scores.put(setting, perShape);
        }
        for (Shape shape : suite.shapes()) {
            Map<GemmRates.Gemm, double[]> perGemm = new EnumMap<>(GemmRates.Gemm.class);
            for (GemmRates.Gemm g : GemmRates.Gemm.values()) {
                perGemm.put(g, new double[rounds]);
            }
            gemms.put(shape, perGemm);
        }
    }

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws RunnerException, IOException {
        String suiteName = args.length > 0 ? args[0] : "spectral";
        if (suiteName.equals("memory")) {
            MemoryFootprint.main(new String[0]);
            return;
        }
        Suite suite = SUITES.get(suiteName);
        if (suite == null) {
            throw new IllegalArgumentException("unknown suite " + suiteName + "; expected one of " + SUITES.keySet()
                    + " or memory");
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Map<String, String> options = options(Arrays.copyOfRange(args, Math.min(2, args.length), args.length));
        Settings settings = new Settings(intOption(options, "warmup", 2), intOption(options, "iterations", 3),
                intOption(options, "time", 1000), intOption(options, "gemmSamples", 5), intOption(options, "gemmMillis", 200));
        List<Variant> variants = suite.variants();
        if (options.containsKey("variants")) {
            variants = Arrays.stream(options.remove("variants").split(",")).map(String::trim).map(Variant::valueOf).toList();
            if (!variants.contains(Variant.DENSE)) {
                throw new IllegalArgumentException("variants= must include DENSE, the reference of every ratio");
            }
        }
        List<Shape> shapes = suite.shapes();
        if (options.containsKey("shapes")) {
            shapes = Arrays.stream(options.remove("shapes").split(",")).map(String::trim).map(Integer::parseInt)
                    .map(suite.shapes()::get).toList();
        }
        List<RunSetting> runSettings = suite.settings();
        if (options.containsKey("settings")) {
            runSettings = Arrays.stream(options.remove("settings").split(",")).map(RunSetting::parse).distinct().toList();
        }
        if (runSettings.contains(RunSetting.BARE) || runSettings.stream().anyMatch(r -> !r.shipped())) {
            for (String variable : List.of("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")) {
                if (System.getenv(variable) != null) {
                    throw new IllegalArgumentException("settings: bare measures the default environment, but " + variable
                            + " = " + System.getenv(variable) + "; expected it unset (unset it, or run settings=shipped)");
                }
            }
        }
        String name = options.containsKey("name") ? options.remove("name") : suite.name();
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + options.keySet());
        }
        Suite chosen = new Suite(shapes, variants, runSettings, name);
        InterleavedRounds run = new InterleavedRounds(chosen, rounds, settings);
        int forks = rounds * shapes.size() * variants.size() * runSettings.size() * BENCHMARKS.length;
        double gemmSeconds = rounds * shapes.size() * GemmRates.Gemm.values().length
                * (0.3 + settings.gemmSamples() * settings.gemmMillis() / 1000.0);
        System.out.printf(Locale.ROOT, "%s: %d rounds, %d shapes, %d variants, settings %s, %d JMH forks; estimated %.0f "
                        + "minutes%n", suiteName, rounds, shapes.size(), variants.size(),
                runSettings.stream().map(RunSetting::label).toList(), forks,
                (forks * settings.forkSeconds() + gemmSeconds) / 60);
        run.run();
        run.write();
        String tables = run.tables();
        Path md = Path.of("benchmarks/results/" + chosen.name() + ".md");
        AtomicFiles.writeString(md, tables);
        System.out.println(tables);
        System.out.println("written: " + chosen.csv() + ", " + gemmCsv(chosen) + ", " + md);
    }

    private void run() throws RunnerException, IOException {
        // Every (setting, variant) pair once per round and shape, the order rotated from round to round.
        List<Map.Entry<RunSetting, Variant>> forks = new ArrayList<>();
        for (Variant variant : suite.variants()) {
            for (RunSetting setting : suite.settings()) {
                forks.add(Map.entry(setting, variant));
            }
        }
        Path launchers = Files.createTempDirectory("interleaved-rounds");
        launchers.toFile().deleteOnExit();
        for (int round = 0; round < rounds; round++) {
            for (Shape shape : suite.shapes()) {
                Map<GemmRates.Gemm, Double> rates = GemmRates.measure(shape, 300, settings.gemmSamples(), settings.gemmMillis());
                for (Map.Entry<GemmRates.Gemm, Double> e : rates.entrySet()) {
                    gemms.get(shape).get(e.getKey())[round] = e.getValue();
                }
                for (int i = 0; i < forks.size(); i++) {
                    Map.Entry<RunSetting, Variant> fork = forks.get((i + round) % forks.size());
                    System.out.printf(Locale.ROOT, "%n=== round %d/%d, %s, %s, %s (%s)%n", round + 1, rounds, shape.label(),
                            fork.getValue(), fork.getKey().label(), LocalDateTime.now().withNano(0));
                    measure(fork.getKey(), shape, fork.getValue(), round, launchers);
                }
            }
        }
    }

    private void measure(RunSetting setting, Shape shape, Variant variant, int round, Path launchers)
            throws RunnerException, IOException {
        OptionsBuilder builder = new OptionsBuilder();
        builder.jvm(setting.launcher(launchers).toString());
        Options options = builder
                .include(FitStepBenchmark.class.getName() + "\\.(" + String.join("|", BENCHMARKS) + ")$")
                .param("variant", variant.name())
                .param("nIn", String.valueOf(shape.nIn()))
                .param("hidden", String.valueOf(shape.hidden()))
                .param("nOut", String.valueOf(shape.nOut()))
                .param("batch", String.valueOf(shape.batch()))
                .forks(1)
                .jvmArgsAppend(setting.jvmArgs().toArray(String[]::new))
                .warmupIterations(settings.warmup()).warmupTime(TimeValue.milliseconds(settings.millis()))
                .measurementIterations(settings.iterations()).measurementTime(TimeValue.milliseconds(settings.millis()))
                .shouldFailOnError(true)
                .build();
        for (RunResult result : new Runner(options).run()) {
            String label = result.getParams().getBenchmark();
            String benchmark = label.substring(label.lastIndexOf('.') + 1);
            scores.get(setting).get(shape).get(benchmark).get(variant)[round] = result.getPrimaryResult().getScore();
        }
    }

    /** The FLOP floor of one call of {@code benchmark} at {@code shape} in {@code round}, milliseconds. */
    private double floor(Shape shape, String benchmark, int round) {
        double sum = 0;
        for (Map.Entry<GemmRates.Gemm, double[]> e : gemms.get(shape).entrySet()) {
            if (benchmark.equals("fitStep") ? e.getKey().inFitFloor() : e.getKey().inOutputFloor()) {
                sum += e.getValue()[round];
            }
        }
        return sum;
    }

    private static Path gemmCsv(Suite suite) {
        return Path.of("benchmarks/results/" + suite.name() + "-gemm.csv");
    }

    private void write() throws IOException {
        StringWriter rows = new StringWriter();
        try (PrintWriter out = new PrintWriter(rows)) {
            out.println("shape,benchmark,variant,round,ms_per_call,ratio_to_dense,twin,ratio_to_twin,floor_ms,ratio_to_floor,"
                    + "setting");
            scores.forEach((setting, perShape) -> perShape.forEach((shape, perBenchmark) ->
                    perBenchmark.forEach((benchmark, perVariant) -> perVariant.forEach((variant, values) -> {
                        Variant twin = twinIn(variant, perVariant);
                        for (int r = 0; r < rounds; r++) {
                            double floor = floor(shape, benchmark, r);
                            out.printf(Locale.ROOT, "%s,%s,%s,%d,%.4f,%.4f,%s,%.4f,%.4f,%.4f,%s%n", shape.label(), benchmark,
                                    variant, r, values[r], values[r] / perVariant.get(Variant.DENSE)[r], twin,
                                    values[r] / perVariant.get(twin)[r], floor, values[r] / floor, setting.label());
                        }
                    }))));
        }
        AtomicFiles.writeString(suite.csv(), rows.toString());
        StringWriter gemmRows = new StringWriter();
        try (PrintWriter out = new PrintWriter(gemmRows)) {
            out.println("shape,gemm,m,k,n,round,ms_per_call,gflops");
            gemms.forEach((shape, perGemm) -> perGemm.forEach((gemm, values) -> {
                long[] mkn = gemm.mkn(shape);
                for (int r = 0; r < rounds; r++) {
                    out.printf(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%.4f,%.2f%n", shape.label(), gemm, mkn[0], mkn[1], mkn[2], r,
                            values[r], gemm.flops(shape) / values[r] / 1e6);
                }
            }));
        }
        AtomicFiles.writeString(gemmCsv(suite), gemmRows.toString());
    }

    /** The variant's twin if it was measured in this run, else DENSE. */
    private static Variant twinIn(Variant variant, Map<Variant, double[]> measured) {
        return measured.containsKey(variant.twin()) ? variant.twin() : Variant.DENSE;
    }

    /**
     * Markdown tables: per shape, the variants' ratios under each setting, the settings side by side (if more than
     * one), then the gemm rates and FLOP floors (measured in this JVM: the shipped setting, all cores).
     */
    private String tables() {
        StringBuilder t = new StringBuilder();
        for (Shape shape : suite.shapes()) {
            for (RunSetting setting : suite.settings()) {
                t.append(String.format(Locale.ROOT, "#### %d - %d tanh - %d softmax, batch %d, setting %s%n%n", shape.nIn(),
                        shape.hidden(), shape.nOut(), shape.batch(), setting.label()));
                variantTable(t, shape, setting);
            }
            if (suite.settings().size() > 1) {
                settingsTable(t, shape);
            }
            gemmTable(t, shape);
        }
        return t.toString();
    }

    /** The settings side by side: each setting's median ms, and its per-round ratio to the first setting's. */
    private void settingsTable(StringBuilder t, Shape shape) {
        RunSetting first = suite.settings().get(0);
        t.append(String.format(Locale.ROOT, "#### %s, settings side by side (ratio: to %s, same round)%n%n", shape.label(),
                first.label()));
        t.append("| benchmark | variant |");
        suite.settings().forEach(s -> t.append(" ").append(s.label()).append(" median ms |"));
        suite.settings().subList(1, suite.settings().size()).forEach(s -> t.append(" ").append(s.label())
                .append(" / ").append(first.label()).append(": median (min - max) |"));
        t.append("\n|---|---|").append("---|".repeat(2 * suite.settings().size() - 1)).append("\n");
        for (String benchmark : BENCHMARKS) {
            for (Variant variant : suite.variants()) {
                t.append("| ").append(benchmark).append(" | ").append(variant).append(" |");
                suite.settings().forEach(s -> t.append(String.format(Locale.ROOT, " %.3f |",
                        median(scores.get(s).get(shape).get(benchmark).get(variant)))));
                double[] reference = scores.get(first).get(shape).get(benchmark).get(variant);
                suite.settings().subList(1, suite.settings().size()).forEach(s -> t.append(" ")
                        .append(ratios(scores.get(s).get(shape).get(benchmark).get(variant), reference)).append(" |"));
                t.append("\n");
            }
        }
        t.append("\n");
    }

    private void variantTable(StringBuilder t, Shape shape, RunSetting setting) {
        t.append("| benchmark | variant | median ms | ratio to DENSE: median (min - max) "
                + "| x FLOP floor: median (min - max) | compared with | ratio to it: median (min - max) |\n"
                + "|---|---|---|---|---|---|---|\n");
        scores.get(setting).get(shape).forEach((benchmark, perVariant) -> perVariant.forEach((variant, values) -> {
            double[] floors = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                floors[r] = floor(shape, benchmark, r);
            }
            Variant twin = twinIn(variant, perVariant);
            t.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %s | %s | %s | %s |%n", benchmark, variant,
                    median(values), ratios(values, perVariant.get(Variant.DENSE)), ratios(values, floors), twin,
                    ratios(values, perVariant.get(twin))));
        }));
        t.append("\n");
    }

    private void gemmTable(StringBuilder t, Shape shape) {
        t.append(String.format(Locale.ROOT, "ND4J gemm rates at %s (float, Nd4j.gemm; _MMULI: as DL4J's BaseLayer "
                        + "calls the forward product; %d rounds; measured in the runner's JVM: shipped setting, all "
                        + "cores):%n%n", shape.label(), rounds));
        t.append("| gemm | m x k x n | in floor | median ms | GFLOP/s: median (min - max) |\n|---|---|---|---|---|\n");
        gemms.get(shape).forEach((gemm, values) -> {
            long[] mkn = gemm.mkn(shape);
            double[] gflops = Arrays.stream(values).map(ms -> gemm.flops(shape) / ms / 1e6).toArray();
            t.append(String.format(Locale.ROOT, "| %s | %d x %d x %d | %s | %.3f | %.1f (%.1f - %.1f) |%n", gemm, mkn[0],
                    mkn[1], mkn[2], gemm.inOutputFloor() ? "fit, output" : gemm.inFitFloor() ? "fit" : "no",
                    median(values), median(gflops), min(gflops), max(gflops)));
        });
        double[] fitFloor = new double[rounds];
        double[] outputFloor = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            fitFloor[r] = floor(shape, "fitStep", r);
            outputFloor[r] = floor(shape, "output", r);
        }
        t.append(String.format(Locale.ROOT, "%nFLOP floor: fit step %.3f ms (%.2f GFLOP, six gemms), output call "
                        + "%.3f ms (%.2f GFLOP, two gemms); medians over rounds.%n%n", median(fitFloor),
                shape.fitFlops() / 1e9, median(outputFloor), shape.outputFlops() / 1e9));
    }

    /** "median (min - max)" of the per-round ratios values[r] / reference[r]. */
    private String ratios(double[] values, double[] reference) {
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = values[r] / reference[r];
        }
        return String.format(Locale.ROOT, "%.3f (%.3f - %.3f)", median(ratios), min(ratios), max(ratios));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /** key=value options; an argument may hold several, separated by spaces. Blank arguments are ignored. */
    private static Map<String, String> options(String[] args) {
        List<String> words = new ArrayList<>();
        for (String arg : args) {
            words.addAll(Arrays.stream(arg.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList());
        }
        return words.stream().map(w -> {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got " + w);
            }
            return new String[]{w.substring(0, eq), w.substring(eq + 1)};
        }).collect(Collectors.toMap(kv -> kv[0], kv -> kv[1], (a, b) -> b, LinkedHashMap::new));
    }

    private static int intOption(Map<String, String> options, String key, int fallback) {
        String value = options.remove(key);
        return value == null ? fallback : Integer.parseInt(value);
    }
}
