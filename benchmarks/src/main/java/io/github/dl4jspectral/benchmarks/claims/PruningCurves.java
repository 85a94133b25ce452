package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.zoo.ModelSpec;
import io.github.dl4jspectral.zoo.ModelSpec.Kind;
import io.github.dl4jspectral.training.Trainer;
import io.github.dl4jspectral.pruning.NodeScore;
import io.github.dl4jspectral.pruning.Pruner;
import io.github.dl4jspectral.pruning.PruningConfig;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Experiment 3, pruning (Sci. Rep. 2022 Fig. 3 setting, docs/METHOD.md section 5): 784 - 500 - 10, test accuracy
 * (percent) against the percentage of hidden nodes trimmed, no fine-tuning after trimming except where the
 * method retrains by definition. Methods (one chart line each):
 * <ul>
 *   <li>spectral post-processing: the trained {@code full} network (eigenvalues and eigenvectors trained),
 *       trimmed by {@link NodeScore#EIGENVALUE} (a node stays only if both |lambdaOut| of the hidden layer and
 *       |lambdaIn| of the output layer clear the cutoff); and, on the same network, RANDOM and
 *       CONNECTIVITY as baselines;</li>
 *   <li>spectral pre-processing: the trained {@code eigenvalues} network trimmed by EIGENVALUE, then its
 *       eigenvectors made trainable and the smaller network trained for the retrain epochs with the
 *       {@code full} network's chosen learning rate (a fresh Adam), in the data order of the same seed;</li>
 *   <li>direct space: the trained conventional {@code dense} network trimmed by incoming connectivity
 *       sum_j |W[j][h]| (the paper's baseline), and by RANDOM.</li>
 * </ul>
 * The trained networks are the ones of experiment 1 (trained once per seed). Files: {@code pruning-*.csv},
 * {@code pruning-summary.md}, {@code pruning.png}.
 *
 * <p>Pre-processing is done here rather than by {@link Pruner#preProcessing}, which would train the
 * eigenvalue network again for every fraction and retrain the eigenvectors with the eigenvalue network's
 * (larger) learning rate; the steps are the same (prune by eigenvalue, make phi trainable, retrain).
 */
public final class PruningCurves implements Experiment {

    static final String POST = "spectral post-processing (EIGENVALUE)";
    static final String POST_RANDOM = "spectral post-processing (RANDOM)";
    static final String POST_CONNECTIVITY = "spectral post-processing (CONNECTIVITY)";
    static final String PRE = "spectral pre-processing (EIGENVALUE, retrained)";
    static final String DIRECT = "direct space (CONNECTIVITY)";
    static final String DIRECT_RANDOM = "direct space (RANDOM)";

    private static final Candidate FULL = Candidate.of(ModelSpec.of(Kind.FULL));
    private static final Candidate EIGENVALUES = Candidate.of(ModelSpec.of(Kind.EIGENVALUES));
    private static final Candidate DENSE = Candidate.of(ModelSpec.of(Kind.DENSE));

    @Override
    public String name() {
        return "pruning";
    }

    @Override
    public List<Candidate> candidates(ClaimsSettings settings) {
        return List.of(DENSE, EIGENVALUES, FULL);
    }

    @Override
    public String run(Harness harness) throws IOException {
        ClaimsSettings settings = harness.settings();
        List<Measurement> measurements = new ArrayList<>();
        for (long seed : settings.seedValues()) {
            Harness.Trained full = harness.trained(FULL, seed);
            Harness.Trained dense = harness.trained(DENSE, seed);
            Harness.Trained eigenvalues = harness.trained(EIGENVALUES, seed);
            double retrainRate = harness.learningRate(FULL);
            for (double fraction : settings.fractions()) {
                measurements.add(post(harness, name(), POST, full, config(NodeScore.EIGENVALUE, fraction, seed)));
                measurements.add(post(harness, name(), POST_RANDOM, full, config(NodeScore.RANDOM, fraction, seed)));
                measurements.add(post(harness, name(), POST_CONNECTIVITY, full, config(NodeScore.CONNECTIVITY, fraction, seed)));
                measurements.add(post(harness, name(), DIRECT, dense, config(NodeScore.CONNECTIVITY, fraction, seed)));
                measurements.add(post(harness, name(), DIRECT_RANDOM, dense, config(NodeScore.RANDOM, fraction, seed)));
                measurements.add(pre(harness, name(), PRE, eigenvalues, retrainRate, config(NodeScore.EIGENVALUE, fraction, seed)));
            }
        }
        String title = String.format(Locale.ROOT, "Pruning 784-500-10 %s: test accuracy vs hidden nodes trimmed",
                settings.activation().name().toLowerCase(Locale.ROOT));
        String table = Report.write(settings, name(), title, measurements, "% hidden nodes trimmed",
                x -> String.format(Locale.ROOT, "%.0f", x), false, false);
        return table + "\n" + claims(Report.summarize(measurements), settings.fractions(),
                List.of(POST, PRE, DIRECT, POST_CONNECTIVITY, POST_RANDOM, DIRECT_RANDOM));
    }

    /** The experiment's pruning: EIGENVALUE combines a two-set node's eigenvalues by BOTH, the rule its figures used. */
    static PruningConfig config(NodeScore score, double fraction, long seed) {
        return PruningConfig.builder().score(score).fraction(fraction).seed(seed)
                .eigenvalueRule(PruningConfig.EigenvalueRule.BOTH).build();
    }

    /** Trim the trained network by {@code config} (no retraining) and score it on the test set. */
    static Measurement post(Harness harness, String experiment, String series, Harness.Trained trained, PruningConfig config) {
        double fraction = config.amount().value();
        MultiLayerNetwork pruned = Pruner.prune(trained.network(), config).network();
        ParameterCounts counts = ParameterCounts.of(pruned);
        return new Measurement(experiment, series, trained.candidate().name(), 100 * fraction, trained.seed(),
                trained.learningRate(), harness.testAccuracy(pruned), counts.trainable(), counts.frozen(), Double.NaN,
                harness.settings().epochs());
    }

    /** Trim the eigenvalue-trained network by {@code config}, make its eigenvectors trainable, retrain, score. */
    static Measurement pre(Harness harness, String experiment, String series, Harness.Trained eigenvalues, double learningRate,
                           PruningConfig config) {
        long seed = eigenvalues.seed();
        double fraction = config.amount().value();
        MultiLayerNetwork pruned = Pruner.prune(eigenvalues.network(), config).network();
        MultiLayerNetwork retrained = Pruner.withEigenvectorsTrainable(pruned, new Adam(learningRate));
        String model = "eigenvalues>full";
        Trainer.Timing timing = harness.fit(model + "@" + Math.round(100 * fraction) + "%", "retrain", retrained,
                harness.data().training(), seed, harness.settings().retrainEpochs());
        ParameterCounts counts = ParameterCounts.of(retrained);
        double accuracy = harness.testAccuracy(retrained);
        harness.log().printf(Locale.ROOT, "  [prune] %s seed %d, %3.0f%% trimmed: test accuracy %.4f "
                + "(retraining %s)%n", series, seed, 100 * fraction, accuracy, harness.lastTiming());
        return new Measurement(experiment, series, model, 100 * fraction, seed, learningRate, accuracy, counts.trainable(),
                counts.frozen(), timing.secondsPerEpoch(), harness.settings().retrainEpochs());
    }

    /**
     * The pruning curves side by side: one row per series, mean test accuracy % at each fraction, and the largest
     * fraction trimmed within 1 point of the series' own untrimmed accuracy.
     */
    static String claims(List<Report.Row> rows, List<Double> fractions, List<String> seriesOrder) {
        Claims c = new Claims(rows);
        StringBuilder s = new StringBuilder("Claim \"eigenvalue pruning keeps accuracy longer\" (mean test accuracy %, "
                + "and the largest % trimmed that costs at most 1 point against the method's own untrimmed accuracy):\n");
        s.append("| method |");
        StringBuilder rule = new StringBuilder("|---|");
        for (double f : fractions) {
            s.append(String.format(Locale.ROOT, " %.0f%% |", 100 * f));
            rule.append("---|");
        }
        s.append(" largest % trimmed within 1 point |\n").append(rule).append("---|\n");
        for (String series : seriesOrder) {
            s.append("| ").append(Report.cell(series)).append(" |");
            double reference = c.at(series, 0).map(r -> r.accuracy().mean()).orElse(Double.NaN);
            double within = Double.NaN;
            boolean unbroken = true;
            for (double f : fractions) {
                double mean = c.at(series, 100 * f).map(r -> r.accuracy().mean()).orElse(Double.NaN);
                s.append(String.format(Locale.ROOT, " %.2f |", 100 * mean));
                unbroken &= mean >= reference - 0.01;
                if (unbroken) {
                    within = 100 * f;
                }
            }
            s.append(Double.isNaN(within) ? " - |" : String.format(Locale.ROOT, " %.0f |", within)).append('\n');
        }
        return s.toString();
    }
}
