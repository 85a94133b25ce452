package io.github.dl4jspectral.benchmarks.transfer;

import io.github.dl4jspectral.benchmarks.claims.Measurement;
import io.github.dl4jspectral.benchmarks.claims.Paired;
import io.github.dl4jspectral.benchmarks.claims.ResultLog;
import io.github.dl4jspectral.benchmarks.claims.Stats;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.export.DirectSpaceExport;
import io.github.dl4jspectral.pruning.HiddenLayer;
import io.github.dl4jspectral.pruning.NodeScore;
import io.github.dl4jspectral.pruning.Pruner;
import io.github.dl4jspectral.pruning.PruningConfig;
import io.github.dl4jspectral.spectralize.Spectralize;
import io.github.dl4jspectral.spectralize.SpectralizeOptions;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Pruning a conventional dense network by learned eigenvalues: the source network (784-h-h-5, digits 0-4) is
 * spectralized with preset EIGENVALUES_OUT (phi frozen, lambdaIn pinned at 0, lambdaOut and b trained, so
 * {@code W = -phi .* lambdaOut} scales each hidden node's incoming weights by its own eigenvalue), its eigenvalues
 * trained for {@code tuneEpochs}, its hidden nodes with the smallest {@code |lambdaOut|} removed
 * ({@link NodeScore#EIGENVALUE}, each hidden layer by the same fraction), exported back to plain DenseLayers and
 * retrained for {@code retrainEpochs}. Two starts: {@code eigenvalue} (phi = W, lambdaOut = -1: the eigenvalues learn
 * only the change) and {@code eigenvalue-norm} (unit columns of phi, lambdaOut = minus the incoming weight norm:
 * the eigenvalues start as a magnitude score and learn from there; {@link SpectralizeOptions.Start}). The baselines
 * prune the same dense network by
 * <ul>
 *   <li>{@code magnitude}: the L2 norm of the node's weights, incoming column and outgoing row together;</li>
 *   <li>{@code connectivity}: incoming connectivity {@code sum_j |W[j][h]|} ({@link NodeScore#CONNECTIVITY});</li>
 *   <li>{@code random}: uniform random scores from the seed ({@link NodeScore#RANDOM});</li>
 * </ul>
 * and retrain for {@code tuneEpochs + retrainEpochs}, the same number of epochs over the same examples. Every
 * training in the retraining budget uses Adam 1e-3 with a fresh state, except the eigenvalue training (Adam
 * {@value #TUNE_RATE}, on nIn + 2 nOut numbers per map). Logged: experiment {@code prune}, x = percent of the hidden
 * nodes removed, model {@code pruned} (before retraining; for eigenvalues after the eigenvalue training) and
 * {@code retrained}; series {@code unpruned} at x = 0.
 */
final class EigenvaluePruning {

    static final String EXPERIMENT = "prune";
    static final List<String> SCORES = List.of("eigenvalue", "eigenvalue-norm", "magnitude", "connectivity", "random");
    static final List<String> EIGENVALUE_SCORES = SCORES.subList(0, 2);
    static final List<String> BASELINES = SCORES.subList(2, SCORES.size());

    private final TransferSettings settings;
    private final Sources sources;
    private final DigitTask training;
    private final ResultLog log;
    private final PrintStream out;

    EigenvaluePruning(TransferSettings settings, Sources sources, ResultLog log, PrintStream out) {
        this.settings = settings;
        this.sources = sources;
        int n = settings.pruneExamples() == 0 ? sources.training().size()
                : Math.min(settings.pruneExamples(), sources.training().size());
        this.training = sources.training().rows(0, n);
        this.log = log;
        this.out = out;
    }

    void run() {
        for (long seed = 1; seed <= settings.seeds(); seed++) {
            if (!complete(seed)) {
                run(seed);
            }
        }
    }

    private void run(long seed) {
        MultiLayerNetwork dense = sources.source(seed);
        if (!log.has(EXPERIMENT, "unpruned", "unpruned", 0, seed)) {
            log.append(stamp(new Measurement(EXPERIMENT, "unpruned", "unpruned", 0, seed, Sources.LEARNING_RATE,
                    sources.test().accuracy(dense), ParameterCounts.of(dense).trainable(), 0, Double.NaN,
                    settings.sourceEpochs())));
        }
        Map<String, MultiLayerNetwork> tuned = new HashMap<>();
        for (double fraction : settings.fractions()) {
            double percent = Math.round(fraction * 1000) / 10.0;
            for (String score : SCORES) {
                if (!log.has(EXPERIMENT, score, "retrained", percent, seed)) {
                    MultiLayerNetwork from = EIGENVALUE_SCORES.contains(score)
                            ? tuned.computeIfAbsent(score, s -> eigenvalueTuned(dense, s, seed)) : dense;
                    pruneAndRetrain(from, score, fraction, percent, seed);
                }
            }
        }
    }

    /**
     * Prunes {@code from} (the dense source, or its eigenvalue-tuned spectral form, then exported) by {@code score},
     * logs its accuracy, retrains it within the budget and logs that.
     */
    private void pruneAndRetrain(MultiLayerNetwork from, String score, double fraction, double percent, long seed) {
        boolean eigenvalue = EIGENVALUE_SCORES.contains(score);
        MultiLayerNetwork pruned = Pruner.prune(from, config(score, fraction, seed)).network();
        if (eigenvalue) {
            pruned = DirectSpaceExport.toDense(pruned);
        }
        int retrainEpochs = eigenvalue ? settings.retrainEpochs() : settings.tuneEpochs() + settings.retrainEpochs();
        long trainable = ParameterCounts.of(pruned).trainable();
        log.append(stamp(new Measurement(EXPERIMENT, score, "pruned", percent, seed, Double.NaN,
                sources.test().accuracy(pruned), trainable, 0, Double.NaN, 0)));
        MultiLayerNetwork retrained = new TransferLearning.Builder(pruned).fineTuneConfiguration(
                new FineTuneConfiguration.Builder().updater(new Adam(Sources.LEARNING_RATE)).seed(seed).build()).build();
        double seconds = 0;
        for (int e = 0; e < retrainEpochs; e++) {
            seconds += training.fitEpoch(retrained, settings.batch(), seed * 1000 + 700 + e);
        }
        double accuracy = sources.test().accuracy(retrained);
        log.append(stamp(new Measurement(EXPERIMENT, score, "retrained", percent, seed, Sources.LEARNING_RATE,
                accuracy, trainable, 0, retrainEpochs == 0 ? Double.NaN : seconds / retrainEpochs, retrainEpochs)));
        out.printf(Locale.ROOT, "  [prune] %-15s %4.1f %% seed %d  retrained test accuracy %.4f%n", score, percent,
                seed, accuracy);
    }

    private boolean complete(long seed) {
        return settings.fractions().stream().allMatch(f -> SCORES.stream().allMatch(s ->
                log.has(EXPERIMENT, s, "retrained", Math.round(f * 1000) / 10.0, seed)));
    }

    /** The source spectralized (EIGENVALUES_OUT, the start of {@code score}) with lambdaOut and b trained tuneEpochs. */
    private MultiLayerNetwork eigenvalueTuned(MultiLayerNetwork dense, String score, long seed) {
        SpectralizeOptions.Start start = score.equals("eigenvalue-norm") ? SpectralizeOptions.Start.COLUMN_NORMS
                : SpectralizeOptions.Start.UNIT_EIGENVALUES;
        MultiLayerNetwork spectral = new TransferLearning.Builder(Spectralize.of(dense,
                SpectralizeOptions.DEFAULT.withPreset(SpectralPreset.EIGENVALUES_OUT).withStart(start)).network())
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(settings.tuneRate())).seed(seed).build())
                .build();
        for (int e = 0; e < settings.tuneEpochs(); e++) {
            training.fitEpoch(spectral, settings.batch(), seed * 1000 + 600 + e);
        }
        out.printf(Locale.ROOT, "  [prune] seed %d %s: eigenvalues trained %d epochs, test accuracy %.4f%n", seed, score,
                settings.tuneEpochs(), sources.test().accuracy(spectral));
        return spectral;
    }

    private static PruningConfig config(String score, double fraction, long seed) {
        PruningConfig.Builder b = PruningConfig.builder().fraction(fraction).seed(seed);
        return switch (score) {
            case "eigenvalue", "eigenvalue-norm" -> b.score(NodeScore.EIGENVALUE).build();
            case "magnitude" -> b.score("magnitude", EigenvaluePruning::nodeWeightNorm).build();
            case "connectivity" -> b.score(NodeScore.CONNECTIVITY).build();
            case "random" -> b.score(NodeScore.RANDOM).build();
            default -> throw new IllegalArgumentException("prune: score = " + score + "; expected one of " + SCORES);
        };
    }

    /** Per hidden node h: the L2 norm of its incoming column W_producer[:, h] and outgoing row W_consumer[h, :]. */
    static double[] nodeWeightNorm(HiddenLayer hidden) {
        INDArray in = hidden.producerParams().get(DefaultParamInitializer.WEIGHT_KEY);
        INDArray out = hidden.consumerParams().get(DefaultParamInitializer.WEIGHT_KEY);
        double[] incoming = in.mul(in).sum(0).toDoubleVector();
        double[] outgoing = out.mul(out).sum(1).toDoubleVector();
        double[] norm = new double[hidden.nodes()];
        for (int h = 0; h < norm.length; h++) {
            norm[h] = Math.sqrt(incoming[h] + outgoing[h]);
        }
        return norm;
    }

    private Measurement stamp(Measurement m) {
        return m.stamped("mnist", settings.hidden(), settings.commit());
    }

    /** The markdown summary: accuracy per fraction and score, before and after retraining, and paired differences. */
    static String summary(List<Measurement> all) {
        List<Measurement> points = all.stream().filter(m -> m.experiment().equals(EXPERIMENT)).toList();
        StringBuilder s = new StringBuilder();
        Stats unpruned = stats(points, "unpruned", "unpruned", 0);
        if (unpruned != null) {
            s.append(String.format(Locale.ROOT, "%nUnpruned dense network: %.2f +- %.2f %% (%d seeds).%n", unpruned.mean(),
                    unpruned.std(), unpruned.n()));
        }
        List<Double> percents = points.stream().filter(m -> m.x() > 0).map(Measurement::x).distinct().sorted().toList();
        for (String model : List.of("retrained", "pruned")) {
            s.append(String.format(Locale.ROOT, "%n### Test accuracy %% %s (mean +- std over seeds)%n%n| nodes removed |",
                    model.equals("pruned") ? "right after pruning, before retraining (eigenvalue scores: after their "
                            + "eigenvalue training)" : "after retraining"));
            SCORES.forEach(score -> s.append(' ').append(score).append(" |"));
            s.append("\n|---|").append("---|".repeat(SCORES.size())).append('\n');
            for (double percent : percents) {
                s.append(String.format(Locale.ROOT, "| %.0f %% |", percent));
                for (String score : SCORES) {
                    Stats a = stats(points, score, model, percent);
                    s.append(a == null ? " - |" : String.format(Locale.ROOT, " %.2f +- %.2f |", a.mean(), a.std()));
                }
                s.append('\n');
            }
            s.append(String.format(Locale.ROOT, "%nPaired differences %s, eigenvalue scores minus baselines "
                    + "(\"unresolved\": the 95 %% interval of the mean difference contains 0):%n%n", model));
            Map<String, List<Paired>> comparisons = new java.util.LinkedHashMap<>();
            for (String eigen : EIGENVALUE_SCORES) {
                for (String base : BASELINES) {
                    comparisons.put(eigen + " vs " + base, Paired.compare(points,
                            m -> m.series().equals(eigen) && m.model().equals(model),
                            m -> m.series().equals(base) && m.model().equals(model)));
                }
            }
            s.append(Paired.markdown(comparisons, "% removed", x -> String.format(Locale.ROOT, "%.0f", x)));
        }
        return s.toString();
    }

    private static Stats stats(List<Measurement> points, String series, String model, double x) {
        double[] a = accuracies(points, series, model, x);
        if (a.length == 0) {
            return null;
        }
        for (int i = 0; i < a.length; i++) {
            a[i] *= 100;
        }
        return Stats.of(a);
    }

    private static double[] accuracies(List<Measurement> points, String series, String model, double x) {
        return points.stream().filter(m -> m.series().equals(series) && m.model().equals(model) && m.x() == x)
                .sorted(java.util.Comparator.comparingLong(Measurement::seed)).mapToDouble(Measurement::accuracy).toArray();
    }
}
