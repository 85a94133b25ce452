package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.data.FashionMnist;
import io.github.dl4jspectral.data.FashionMnistIterator;
import io.github.dl4jspectral.data.LabeledImages;
import io.github.dl4jspectral.report.Csv;
import io.github.dl4jspectral.training.Trainer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * The training loop every claims experiment shares, so that all networks are compared on equal terms:
 * the same Adam optimizer, batch size, epochs and seeds; seed s fixes both the initialization and the data
 * order (a fresh {@link FashionMnistIterator} shuffled by s for every run, so every network sees the same
 * batches in the same order).
 *
 * <p>Each network's learning rate is chosen once, on first use, by a sweep: for every rate of the
 * settings, train {@code sweepEpochs} epochs on the sweep-training part of the training split with the
 * first seed and score on the validation part; the rate with the highest validation accuracy wins (ties:
 * the smaller rate). The test split is never used to choose. Trained networks are kept, so experiments that
 * need the same network (pruning reuses dense, eigenvalues and full) train it once.
 *
 * <p>Accuracies are fractions 0..1; times are wall-clock seconds.
 */
public final class Harness {

    /** Evaluation minibatch (does not affect results, only speed). */
    private static final int EVALUATION_BATCH = 1000;

    /**
     * One run of the learning-rate sweep.
     *
     * @param model              candidate name
     * @param learningRate       Adam learning rate
     * @param validationAccuracy accuracy on the validation split, 0..1
     * @param secondsPerEpoch    mean wall-clock seconds per epoch on the sweep-training split
     * @param chosen             whether this rate was chosen for the model
     */
    public record SweepPoint(String model, double learningRate, double validationAccuracy, double secondsPerEpoch,
                             boolean chosen) {
    }

    /**
     * A network trained on the whole training split with its chosen rate.
     *
     * @param candidate       what was trained
     * @param seed            seed of initialization and data order
     * @param learningRate    the chosen Adam learning rate
     * @param network         the trained network (do not modify: it is shared between experiments)
     * @param testAccuracy    accuracy on the test split, 0..1
     * @param counts          trainable and frozen parameters
     * @param secondsPerEpoch mean wall-clock seconds per epoch
     */
    public record Trained(Candidate candidate, long seed, double learningRate, MultiLayerNetwork network,
                          double testAccuracy, ParameterCounts counts, double secondsPerEpoch) {
    }

    /**
     * Timing of one training call, for sizing runs.
     *
     * @param model           candidate name (or a description)
     * @param phase           {@code sweep}, {@code final} or {@code retrain}
     * @param examples        examples per epoch
     * @param epochs          epochs trained
     * @param secondsPerEpoch mean wall-clock seconds per epoch
     * @param cpuSecondsPerEpoch mean CPU seconds of the whole process (all threads) per epoch: on a busy machine
     *                           a steadier figure than wall time, and an upper bound of the wall time the same
     *                           work takes on an idle machine
     */
    public record EpochTime(String model, String phase, int examples, int epochs, double secondsPerEpoch,
                            double cpuSecondsPerEpoch) {
    }

    private final ClaimsSettings settings;
    private final Splits data;
    private final PrintStream log;
    private final Map<String, Double> chosenRates = new LinkedHashMap<>();
    private final List<SweepPoint> sweep = new ArrayList<>();
    private final Map<String, Trained> trained = new HashMap<>();
    private final List<EpochTime> times = new ArrayList<>();
    private final DataSetIterator test;
    private final DataSetIterator validation;

    public Harness(ClaimsSettings settings, Splits data, PrintStream log) {
        this.settings = settings;
        this.data = data;
        this.log = log;
        this.test = FashionMnistIterator.builder(data.test()).batchSize(EVALUATION_BATCH).build();
        this.validation = FashionMnistIterator.builder(data.validation()).batchSize(EVALUATION_BATCH).build();
    }

    public ClaimsSettings settings() {
        return settings;
    }

    /** {@code m} stamped with this run's data set, the network's hidden {@code width} and the code's commit. */
    public Measurement stamp(Measurement m, int width) {
        return m.stamped(settings.dataset().key(), width, settings.commit());
    }

    public Splits data() {
        return data;
    }

    public PrintStream log() {
        return log;
    }

    /** The chosen learning rate of {@code candidate}, running its sweep first if it has none yet. */
    public double learningRate(Candidate candidate) {
        return learningRate(candidate.name(), rate -> network(candidate, rate, settings.seedValues()[0]));
    }

    /**
     * The chosen learning rate of the network {@code name}, running its sweep first if it has none yet.
     *
     * @param name    the network's name in the sweep's tables (one rate per name)
     * @param network a freshly initialized network with the given learning rate and the first seed
     */
    public double learningRate(String name, DoubleFunction<MultiLayerNetwork> network) {
        Double known = chosenRates.get(name);
        if (known != null) {
            return known;
        }
        List<Double> rates = settings.learningRates();
        if (rates.size() == 1) {
            chosenRates.put(name, rates.get(0));
            return rates.get(0);
        }
        long seed = settings.seedValues()[0];
        List<SweepPoint> points = new ArrayList<>();
        int best = 0;
        for (int i = 0; i < rates.size(); i++) {
            MultiLayerNetwork fresh = network.apply(rates.get(i));
            Trainer.Timing timing = fit(name, "sweep", fresh, data.sweepTraining(), seed, settings.sweepEpochs());
            double accuracy = validationAccuracy(fresh);
            points.add(new SweepPoint(name, rates.get(i), accuracy, timing.secondsPerEpoch(), false));
            log.printf(Locale.ROOT, "  [sweep] %-18s lr %-7s validation accuracy %.4f  (%s)%n",
                    name, rate(rates.get(i)), accuracy, lastTiming());
            if (accuracy > points.get(best).validationAccuracy()) {
                best = i;
            }
        }
        for (int i = 0; i < points.size(); i++) {
            SweepPoint p = points.get(i);
            sweep.add(new SweepPoint(p.model(), p.learningRate(), p.validationAccuracy(), p.secondsPerEpoch(), i == best));
        }
        chosenRates.put(name, rates.get(best));
        log.printf(Locale.ROOT, "  [sweep] %-18s chose lr %s%s%n", name, rate(rates.get(best)),
                edgeNote(rates.get(best)));
        return rates.get(best);
    }

    /** {@code candidate} trained with its chosen rate and {@code seed} on the whole training split (once). */
    public Trained trained(Candidate candidate, long seed) {
        String key = candidate.name() + "#" + seed;
        Trained known = trained.get(key);
        if (known != null) {
            return known;
        }
        double rate = learningRate(candidate);
        MultiLayerNetwork network = network(candidate, rate, seed);
        Trainer.Timing timing = fit(candidate.name(), "final", network, data.training(), seed, settings.epochs());
        double accuracy = testAccuracy(network);
        Trained t = new Trained(candidate, seed, rate, network, accuracy, ParameterCounts.of(network),
                timing.secondsPerEpoch());
        log.printf(Locale.ROOT, "  [train] %-18s seed %d lr %-7s test accuracy %.4f  (%,d trainable; %s)%n",
                candidate.name(), seed, rate(rate), accuracy, t.counts().trainable(), lastTiming());
        trained.put(key, t);
        return t;
    }

    /** A freshly initialized network of {@code candidate} (784 - hidden - 10, the settings' activation). */
    public MultiLayerNetwork network(Candidate candidate, double learningRate, long seed) {
        return candidate.network(FashionMnist.PIXELS, FashionMnist.CLASSES, settings.activation(), learningRate, seed);
    }

    /**
     * Trains {@code network} for {@code epochs} epochs over {@code examples}, in the data order of {@code seed}
     * and the settings' batch size, and records the time under {@code model} and {@code phase}.
     */
    public Trainer.Timing fit(String model, String phase, MultiLayerNetwork network, LabeledImages examples, long seed,
                              int epochs) {
        return fit(model, phase, network, examples, seed, epochs, settings.batchSize());
    }

    /** As {@link #fit(String, String, MultiLayerNetwork, LabeledImages, long, int)} with minibatches of {@code batchSize}. */
    public Trainer.Timing fit(String model, String phase, MultiLayerNetwork network, LabeledImages examples, long seed,
                              int epochs, int batchSize) {
        DataSetIterator iterator = FashionMnistIterator.builder(examples).batchSize(batchSize).shuffle(seed)
                .build();
        long cpu = processCpuNanos();
        Trainer.Timing timing = Trainer.fit(network, iterator, epochs, Trainer.Progress.NONE);
        times.add(new EpochTime(model, phase, examples.size(), epochs, timing.secondsPerEpoch(),
                (processCpuNanos() - cpu) / 1e9 / epochs));
        return timing;
    }

    /** "w s/epoch wall, c s CPU" of the last training call. */
    public String lastTiming() {
        EpochTime t = times.get(times.size() - 1);
        return String.format(Locale.ROOT, "%.1f s/epoch wall, %.1f s CPU", t.secondsPerEpoch(), t.cpuSecondsPerEpoch());
    }

    /** CPU time of this process so far, all threads, in nanoseconds (-1 if the JVM cannot tell). */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** Fraction of the validation split (carved from the training split) that {@code network} classifies correctly. */
    public double validationAccuracy(MultiLayerNetwork network) {
        return Trainer.accuracy(network, validation);
    }

    /** Accuracy of {@code network} on the test split, 0..1. */
    public double testAccuracy(MultiLayerNetwork network) {
        return Trainer.accuracy(network, test);
    }

    /** Writes the sweep ({@code lr-sweep.csv}) and the epoch timings ({@code epoch-times.csv}) to the output directory. */
    public void writeCsvs() throws IOException {
        List<List<?>> rows = new ArrayList<>();
        for (SweepPoint p : sweep) {
            rows.add(List.of(p.model(), p.learningRate(), p.validationAccuracy(), p.secondsPerEpoch(), p.chosen()));
        }
        Csv.write(settings.out().resolve("lr-sweep.csv"),
                List.of("model", "learning_rate", "validation_accuracy", "seconds_per_epoch", "chosen"), rows);
        List<List<?>> timeRows = new ArrayList<>();
        for (EpochTime t : times) {
            timeRows.add(List.of(t.model(), t.phase(), t.examples(), t.epochs(), t.secondsPerEpoch(),
                    t.cpuSecondsPerEpoch()));
        }
        Csv.write(settings.out().resolve("epoch-times.csv"),
                List.of("model", "phase", "examples", "epochs", "seconds_per_epoch", "cpu_seconds_per_epoch"), timeRows);
    }

    /** Markdown table: each model's chosen rate and the validation accuracy of every swept rate. */
    public String chosenRatesMarkdown() {
        StringBuilder s = new StringBuilder("| model | chosen lr |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (double r : settings.learningRates()) {
            s.append(" val. acc. at ").append(rate(r)).append(" |");
            rule.append("---|");
        }
        s.append('\n').append(rule).append('\n');
        for (Map.Entry<String, Double> e : chosenRates.entrySet()) {
            s.append("| ").append(Report.cell(e.getKey())).append(" | ").append(rate(e.getValue())).append(edgeNote(e.getValue()))
                    .append(" |");
            for (double r : settings.learningRates()) {
                String cell = sweep.stream().filter(p -> p.model().equals(e.getKey()) && p.learningRate() == r)
                        .map(p -> String.format(Locale.ROOT, "%.4f", p.validationAccuracy())).findFirst().orElse("-");
                s.append(' ').append(cell).append(" |");
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** " (top of the grid)" or " (bottom of the grid)" if a chosen rate may not be the best one outside the grid. */
    private String edgeNote(double chosen) {
        List<Double> rates = settings.learningRates();
        if (rates.size() < 2) {
            return "";
        }
        return chosen == rates.get(rates.size() - 1) ? " (top of the grid)" : chosen == rates.get(0) ? " (bottom of the grid)" : "";
    }

    /** Compact learning-rate text, e.g. {@code 3e-03}. */
    public static String rate(double learningRate) {
        return String.format(Locale.ROOT, "%.0e", learningRate);
    }
}
