package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.pruning.NodeScore;
import io.github.dl4jspectral.pruning.Pruner;
import io.github.dl4jspectral.pruning.PruningConfig;
import io.github.dl4jspectral.report.AtomicFiles;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sci. Rep. 2022 Fig. 3 with the authors' protocol ({@link SciRepProtocol}): test accuracy against the
 * fraction of hidden nodes trimmed, for
 * <ul>
 *   <li>{@link #POST}: the one-set network with phi and lambdaOut trained, trimmed by |lambdaOut| of the
 *       producing layer ({@link NodeScore#EIGENVALUE_OUT}), no retraining; control {@link #POST_RANDOM};</li>
 *   <li>{@link #PRE}: the lambdaOut-only network trimmed by |lambdaOut|, then phi and lambdaOut retrained;
 *       control {@link #PRE_RANDOM}; and, for free, the same trimmed networks before retraining
 *       ({@link #PRE_UNTRAINED});</li>
 *   <li>{@link #DENSE}: the conventional network trimmed by incoming connectivity; control {@link #DENSE_RANDOM}.</li>
 * </ul>
 *
 * <p>Resumable: every point is appended to {@code pruning-runs.csv} as soon as it is measured, and every
 * trained network is kept under {@code networks/} (not committed); a rerun skips what is done, so the grid can
 * be filled over several sessions. Seeds run one after the other, so every finished seed has all curves.
 */
public final class SciRepPruning implements Experiment {

    /** The experiment column of its measurements; its files are prefixed {@code pruning}. */
    static final String NAME = "pruning-paper";
    static final String POST = "post-processing, |lambdaOut|";
    static final String POST_RANDOM = "post-processing, RANDOM (control)";
    static final String PRE = "pre-processing, |lambdaOut|, retrained";
    static final String PRE_RANDOM = "pre-processing, RANDOM, retrained (control)";
    static final String PRE_UNTRAINED = "pre-processing, |lambdaOut|, before retraining";
    static final String DENSE = "dense, connectivity";
    static final String DENSE_RANDOM = "dense, RANDOM (control)";

    @Override
    public String name() {
        return "pruning";
    }

    @Override
    public List<Candidate> candidates(ClaimsSettings settings) {
        return List.of();
    }

    /** The protocol with the run's width and epochs. */
    static SciRepProtocol protocol(ClaimsSettings settings) {
        return SciRepProtocol.of(settings.hidden(), settings.epochs(), settings.retrainEpochs(), settings.batchSize());
    }

    @Override
    public String run(Harness harness) throws IOException {
        ClaimsSettings settings = harness.settings();
        SciRepProtocol protocol = protocol(settings);
        String model = "h" + protocol.hidden();
        ResultLog log = ResultLog.open(settings.out().resolve(name() + "-runs.csv"));
        Runner runner = new Runner(harness, protocol, log, model);
        for (long seed : settings.seedValues()) {
            runner.seed(seed, settings.fractions());
        }
        // Read the file again: another process may have filled other seeds of the same grid meanwhile.
        List<Measurement> mine = ResultLog.open(log.file()).measurements().stream()
                .filter(m -> m.model().equals(model)).toList();
        String title = String.format(Locale.ROOT, "Sci. Rep. protocol, 784-%d-10 tanh: test accuracy vs hidden nodes trimmed",
                protocol.hidden());
        String table = Report.writeSummary(settings, name() + "-" + model, title, mine, "% hidden nodes trimmed",
                x -> String.format(Locale.ROOT, "%.0f", x), false, false);
        AtomicFiles.writeString(settings.out().resolve(name() + "-protocol.md"), protocol.factsMarkdown());
        String curves = PruningCurves.claims(Report.summarize(mine), settings.fractions(),
                List.of(POST, POST_RANDOM, PRE, PRE_RANDOM, PRE_UNTRAINED, DENSE, DENSE_RANDOM));
        AtomicFiles.writeString(settings.out().resolve(name() + "-" + model + "-curves.md"), curves);
        String paired = Report.writePaired(settings, name() + "-" + model, mine, List.of(POST + " vs " + POST_RANDOM,
                        PRE + " vs " + PRE_RANDOM, POST + " vs " + DENSE, DENSE + " vs " + DENSE_RANDOM,
                        POST_RANDOM + " vs " + DENSE_RANDOM), "% trimmed", x -> String.format(Locale.ROOT, "%.0f", x));
        return protocol.factsMarkdown() + "\n" + table + "\n" + curves + "\n" + paired;
    }

    /** Trains, trims and measures one seed, skipping what the log already has. */
    private record Runner(Harness harness, SciRepProtocol protocol, ResultLog log, String model) {

        void seed(long seed, List<Double> fractions) throws IOException {
            if (missing(seed, fractions, POST, POST_RANDOM)) {
                MultiLayerNetwork post = trained("post", seed, () -> protocol.spectral(true, seed));
                for (double f : fractions) {
                    trim(POST, post, NodeScore.EIGENVALUE_OUT, f, seed);
                    trim(POST_RANDOM, post, NodeScore.RANDOM, f, seed);
                }
            }
            if (missing(seed, fractions, PRE, PRE_RANDOM, PRE_UNTRAINED)) {
                MultiLayerNetwork pre = trained("pre", seed, () -> protocol.spectral(false, seed));
                for (double f : fractions) {
                    trim(PRE_UNTRAINED, pre, NodeScore.EIGENVALUE_OUT, f, seed);
                    retrain(PRE, pre, NodeScore.EIGENVALUE_OUT, f, seed);
                    retrain(PRE_RANDOM, pre, NodeScore.RANDOM, f, seed);
                }
            }
            if (missing(seed, fractions, DENSE, DENSE_RANDOM)) {
                MultiLayerNetwork dense = trained("dense", seed, () -> protocol.dense(seed));
                for (double f : fractions) {
                    trim(DENSE, dense, NodeScore.CONNECTIVITY, f, seed);
                    trim(DENSE_RANDOM, dense, NodeScore.RANDOM, f, seed);
                }
            }
        }

        private boolean missing(long seed, List<Double> fractions, String... series) {
            for (String s : series) {
                for (double f : fractions) {
                    if (!log.has(NAME, s, model, 100 * f, seed)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private interface Fresh {
            MultiLayerNetwork network();
        }

        /** The network trained for the protocol's epochs: read back from networks/ if an earlier run kept it. */
        private MultiLayerNetwork trained(String kind, long seed, Fresh fresh) throws IOException {
            Path file = harness.settings().out().resolve("networks")
                    .resolve(String.format(Locale.ROOT, "pruning-%s-%s-seed%d.zip", model, kind, seed));
            if (Files.exists(file)) {
                harness.log().printf(Locale.ROOT, "  [paper] %s seed %d: trained network read from %s%n", kind, seed, file);
                return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
            }
            MultiLayerNetwork network = fresh.network();
            harness.fit(model + "-" + kind, "final", network, harness.data().training(), seed, protocol.epochs());
            harness.log().printf(Locale.ROOT, "  [paper] %s seed %d: %d epochs, test accuracy %.4f (%s)%n", kind, seed,
                    protocol.epochs(), harness.testAccuracy(network), harness.lastTiming());
            AtomicFiles.write(file, out -> ModelSerializer.writeModel(network, out, false));
            return network;
        }

        private static PruningConfig config(NodeScore score, double fraction, long seed) {
            return PruningConfig.builder().score(score).fraction(fraction).pooled(true).seed(seed).build();
        }

        /** Trims {@code network} (no retraining) and logs its test accuracy. */
        private void trim(String series, MultiLayerNetwork network, NodeScore score, double fraction, long seed) {
            if (log.has(NAME, series, model, 100 * fraction, seed)) {
                return;
            }
            MultiLayerNetwork pruned = Pruner.prune(network, config(score, fraction, seed)).network();
            record(series, pruned, fraction, seed, Double.NaN, protocol.epochs());
        }

        /** Trims {@code network}, retrains phi and lambdaOut with a fresh Adam, and logs its test accuracy. */
        private void retrain(String series, MultiLayerNetwork network, NodeScore score, double fraction, long seed) {
            if (log.has(NAME, series, model, 100 * fraction, seed)) {
                return;
            }
            MultiLayerNetwork pruned = Pruner.prune(network, config(score, fraction, seed)).network();
            MultiLayerNetwork retrained = Pruner.withEigenvectorsTrainable(pruned, protocol.updater());
            var timing = harness.fit(model + "-pre>full@" + Math.round(100 * fraction) + "%", "retrain", retrained,
                    harness.data().training(), seed, protocol.retrainEpochs());
            record(series, retrained, fraction, seed, timing.secondsPerEpoch(), protocol.retrainEpochs());
        }

        private void record(String series, MultiLayerNetwork network, double fraction, long seed, double secondsPerEpoch,
                            int epochs) {
            ParameterCounts counts = ParameterCounts.of(network);
            double accuracy = harness.testAccuracy(network);
            log.append(harness.stamp(new Measurement(NAME, series, model, 100 * fraction, seed, protocol.learningRate(),
                    accuracy, counts.trainable(), counts.frozen(), secondsPerEpoch, epochs), protocol.hidden()));
            harness.log().printf(Locale.ROOT, "  [paper] seed %d %-46s %3.0f%% trimmed: test accuracy %.4f%s%n", seed,
                    series, 100 * fraction, accuracy, Double.isNaN(secondsPerEpoch) ? "" : " (retraining " + harness.lastTiming() + ")");
        }
    }
}
