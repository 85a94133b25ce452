package io.github.dl4jspectral.benchmarks.transfer;

import io.github.dl4jspectral.benchmarks.claims.Measurement;
import io.github.dl4jspectral.benchmarks.claims.Paired;
import io.github.dl4jspectral.benchmarks.claims.ResultLog;
import io.github.dl4jspectral.benchmarks.claims.Stats;
import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.spectralize.Spectralize;
import io.github.dl4jspectral.spectralize.SpectralizeOptions;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Adapting a trained dense network to a new task: a 784-h-h-5 DenseLayer network trained on MNIST digits 0-4 gets a
 * new 5-class head (TransferLearning's {@code nOutReplace}) for digits 5-9 and is fine-tuned by one of four methods,
 * all at the same epochs, from the same source network, head initialization and data order per seed:
 * <ul>
 *   <li>{@code eigenvalues}: the hidden layers spectralized (preset EIGENVALUES: lambdaIn, lambdaOut and b trained,
 *       phi = W frozen), new head trained;</li>
 *   <li>{@code head-only}: hidden layers frozen (feature extractor), new head trained;</li>
 *   <li>{@code full}: every weight trained;</li>
 *   <li>{@code lora-r1}: W frozen plus a rank-1 additive adapter {@code U V^T} and b per hidden layer, new head
 *       trained ({@link LowRankAdapter}); exactly as many trainable numbers as {@code eigenvalues}.</li>
 * </ul>
 * Each method's Adam learning rate is chosen per target size on seed 1 from the settings' rates, by accuracy on a
 * validation split (the last {@value #VALIDATION} training examples of digits 5-9, never trained on); the test split
 * scores the final networks. Logged: experiment {@code transfer} (x = target training examples, model
 * {@code method@rate}) and {@code transfer-sweep} (validation accuracy per rate), so that a rerun with more rates
 * sweeps only the new ones and trains the seeds again only where the chosen rate changes.
 */
final class EigenvalueTransfer {

    static final String EXPERIMENT = "transfer";
    static final String SWEEP = "transfer-sweep";
    static final List<String> METHODS = List.of("eigenvalues", "head-only", "full", "lora-r1");
    static final int VALIDATION = 5000;
    static final int CLASSES = 5;

    private final TransferSettings settings;
    private final Sources sources;
    private final DigitTask target;
    private final DigitTask validation;
    private final DigitTask test;
    private final ResultLog log;
    private final PrintStream out;

    EigenvalueTransfer(TransferSettings settings, Sources sources, DigitTask targetTrainAll, DigitTask test,
                       ResultLog log, PrintStream out) {
        this.settings = settings;
        this.sources = sources;
        int cut = targetTrainAll.size() - VALIDATION;
        this.target = targetTrainAll.rows(0, cut);
        this.validation = targetTrainAll.rows(cut, targetTrainAll.size());
        this.test = test;
        this.log = log;
        this.out = out;
    }

    void run() {
        for (int examples : settings.targetExamples()) {
            int n = examples == 0 ? target.size() : Math.min(examples, target.size());
            DigitTask training = target.rows(0, n);
            for (String method : METHODS) {
                double rate = chosenRate(method, training, n);
                String name = modelName(method, rate);
                for (long seed = 1; seed <= settings.seeds(); seed++) {
                    if (log.has(EXPERIMENT, method, name, n, seed)) {
                        continue;
                    }
                    Model model = adapted(method, sources.source(seed), rate, seed);
                    double seconds = 0;
                    for (int e = 0; e < settings.transferEpochs(); e++) {
                        seconds += training.fitEpoch(model, settings.batch(), seed * 1000 + e);
                    }
                    double accuracy = test.accuracy(model);
                    ParameterCounts counts = counts(model);
                    log.append(stamp(new Measurement(EXPERIMENT, method, name, n, seed, rate, accuracy,
                            counts.trainable(), counts.frozen(), seconds / settings.transferEpochs(),
                            settings.transferEpochs())));
                    out.printf(Locale.ROOT, "  [transfer] %-11s n=%-6d seed %d lr %.0e  test accuracy %.4f  (%,d trainable, "
                            + "%.1f s/epoch)%n", method, n, seed, rate, accuracy, counts.trainable(),
                            seconds / settings.transferEpochs());
                }
            }
        }
    }

    /** The learning rate of {@code method} at {@code n} target examples, swept on seed 1 (logged, so once). */
    private double chosenRate(String method, DigitTask training, int n) {
        if (settings.rates().size() == 1) {
            return settings.rates().get(0);
        }
        double best = Double.NaN;
        double bestAccuracy = -1;
        for (double rate : settings.rates()) {
            String model = modelName(method, rate);
            Measurement known = log.measurements().stream().filter(m -> m.experiment().equals(SWEEP)
                    && m.model().equals(model) && m.x() == n && m.seed() == 1).findFirst().orElse(null);
            double accuracy;
            if (known != null) {
                accuracy = known.accuracy();
            } else {
                Model model1 = adapted(method, sources.source(1), rate, 1);
                double seconds = 0;
                for (int e = 0; e < settings.transferEpochs(); e++) {
                    seconds += training.fitEpoch(model1, settings.batch(), 1000 + e);
                }
                accuracy = validation.accuracy(model1);
                ParameterCounts counts = counts(model1);
                log.append(stamp(new Measurement(SWEEP, method, model, n, 1, rate, accuracy, counts.trainable(),
                        counts.frozen(), seconds / settings.transferEpochs(), settings.transferEpochs())));
                out.printf(Locale.ROOT, "  [sweep] %-11s n=%-6d lr %.0e  validation accuracy %.4f%n", method, n, rate,
                        accuracy);
            }
            if (accuracy > bestAccuracy) {
                bestAccuracy = accuracy;
                best = rate;
            }
        }
        return best;
    }

    /** The logged model name of {@code method} trained at {@code rate}, e.g. {@code eigenvalues@0.03}. */
    static String modelName(String method, double rate) {
        return method + "@" + rate;
    }

    private Measurement stamp(Measurement m) {
        return m.stamped("mnist", settings.hidden(), settings.commit());
    }

    /** The source network of {@code seed} made ready for {@code method}, with the seed's new head. */
    Model adapted(String method, MultiLayerNetwork source, double rate, long seed) {
        INDArray[] head = newHead(seed);
        FineTuneConfiguration fineTune = new FineTuneConfiguration.Builder().updater(new Adam(rate)).seed(seed).build();
        int headIndex = source.getnLayers() - 1;
        MultiLayerNetwork network = switch (method) {
            case "eigenvalues" -> new TransferLearning.Builder(Spectralize.of(source,
                    SpectralizeOptions.DEFAULT.onlyLayers(hiddenNames(source))).network())
                    .fineTuneConfiguration(fineTune).nOutReplace(headIndex, CLASSES, WeightInit.XAVIER).build();
            case "head-only" -> new TransferLearning.Builder(source).fineTuneConfiguration(fineTune)
                    .setFeatureExtractor(headIndex - 1).nOutReplace(headIndex, CLASSES, WeightInit.XAVIER).build();
            case "full" -> new TransferLearning.Builder(source).fineTuneConfiguration(fineTune)
                    .nOutReplace(headIndex, CLASSES, WeightInit.XAVIER).build();
            case "lora-r1" -> null;
            default -> throw new IllegalArgumentException("transfer: method = " + method + "; expected one of " + METHODS);
        };
        if (network == null) {
            return LowRankAdapter.of(source, 1, CLASSES, rate, seed, head[0], head[1]);
        }
        network.getLayer(headIndex).setParam("W", head[0]);
        network.getLayer(headIndex).setParam("b", head[1]);
        return network;
    }

    private static String[] hiddenNames(MultiLayerNetwork network) {
        String[] names = new String[network.getnLayers() - 1];
        for (int i = 0; i < names.length; i++) {
            names[i] = network.getLayer(i).conf().getLayer().getLayerName();
        }
        return names;
    }

    /** The new head's initial W [h, 5] (Xavier-uniform, drawn in Java from the seed) and b = 0. */
    private INDArray[] newHead(long seed) {
        Random random = new Random(seed * 7919);
        int h = settings.hidden();
        double limit = Math.sqrt(6.0 / (h + CLASSES));
        float[] w = new float[h * CLASSES];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((2 * random.nextDouble() - 1) * limit);
        }
        return new INDArray[]{Nd4j.create(w, new long[]{h, CLASSES}, 'c').castTo(DataType.FLOAT),
                Nd4j.zeros(DataType.FLOAT, 1, CLASSES)};
    }

    static ParameterCounts counts(Model model) {
        return model instanceof MultiLayerNetwork network ? ParameterCounts.of(network)
                : ParameterCounts.of((ComputationGraph) model);
    }

    /** The markdown summary of the logged transfer points: per target size and method, and paired differences. */
    static String summary(List<Measurement> all) {
        StringBuilder s = new StringBuilder();
        List<Double> sizes = all.stream().filter(m -> m.experiment().equals(EXPERIMENT)).map(Measurement::x).distinct()
                .sorted().toList();
        for (double n : sizes) {
            s.append(String.format(Locale.ROOT, "%n### %d training examples of digits 5-9%n%n", (int) n));
            s.append("| method | lr | test accuracy % (mean +- std) | min - max | trainable | stored adaptation (bytes, "
                    + "float32) | s/epoch (shared machine) | seeds |\n|---|---|---|---|---|---|---|---|\n");
            for (String method : METHODS) {
                List<Measurement> points = points(all, method, n);
                if (points.isEmpty()) {
                    continue;
                }
                Stats a = Stats.of(points.stream().mapToDouble(m -> 100 * m.accuracy()).toArray());
                Stats t = Stats.of(points.stream().mapToDouble(Measurement::secondsPerEpoch).toArray());
                long trainable = points.get(0).trainable();
                double rate = points.get(0).learningRate();
                boolean top = all.stream().filter(m -> m.experiment().equals(SWEEP) && m.series().equals(method)
                        && m.x() == n).mapToDouble(Measurement::learningRate).max().orElse(Double.NaN) == rate;
                s.append(String.format(Locale.ROOT, "| %s | %.0e%s | %.2f +- %.2f | %.2f - %.2f | %,d | %,d | %.2f | %d |%n",
                        method, rate, top ? " (top of the grid)" : "", a.mean(), a.std(), a.min(), a.max(), trainable,
                        4 * trainable, t.mean(), points.size()));
            }
            s.append("\nLearning-rate sweep (seed 1, validation accuracy %):");
            for (String method : METHODS) {
                s.append(' ').append(method).append(':');
                all.stream().filter(m -> m.experiment().equals(SWEEP) && m.series().equals(method) && m.x() == n)
                        .sorted(java.util.Comparator.comparingDouble(Measurement::learningRate))
                        .forEach(m -> s.append(String.format(Locale.ROOT, " %.0e %.1f", m.learningRate(), 100 * m.accuracy())));
                s.append(';');
            }
            s.append('\n');
            s.append("\nPaired differences over seeds, eigenvalues minus each other method (\"unresolved\": the 95 % "
                    + "interval of the mean difference contains 0):\n\n| eigenvalues minus | difference | verdict |\n"
                    + "|---|---|---|\n");
            List<Measurement> eigen = points(all, "eigenvalues", n);
            for (String method : METHODS.subList(1, METHODS.size())) {
                for (Paired p : Paired.compare(concat(eigen, points(all, method, n)),
                        m -> m.series().equals("eigenvalues"), m -> m.series().equals(method))) {
                    s.append("| ").append(method).append(" | ").append(p.summary()).append(" | ")
                            .append(p.verdictWords("eigenvalues", method)).append(" |\n");
                }
            }
        }
        return s.toString();
    }

    /**
     * The test points of {@code method} at {@code n} examples, at its chosen rate: the swept rate with the highest
     * validation accuracy (ties: the smaller rate), as {@link #chosenRate} picks it; every point without a sweep.
     */
    private static List<Measurement> points(List<Measurement> all, String method, double n) {
        List<Measurement> sweep = all.stream().filter(m -> m.experiment().equals(SWEEP) && m.series().equals(method)
                && m.x() == n).sorted(java.util.Comparator.comparingDouble(Measurement::learningRate)).toList();
        Measurement best = null;
        for (Measurement m : sweep) {
            if (best == null || m.accuracy() > best.accuracy()) {
                best = m;
            }
        }
        String model = best == null ? null : modelName(method, best.learningRate());
        return all.stream().filter(m -> m.experiment().equals(EXPERIMENT) && m.series().equals(method) && m.x() == n
                        && (model == null || m.model().equals(model)))
                .sorted(java.util.Comparator.comparingLong(Measurement::seed)).toList();
    }

    private static List<Measurement> concat(List<Measurement> a, List<Measurement> b) {
        List<Measurement> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }
}
