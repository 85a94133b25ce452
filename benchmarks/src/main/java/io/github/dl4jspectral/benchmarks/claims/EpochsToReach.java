package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.data.FashionMnist;
import io.github.dl4jspectral.data.FashionMnistIterator;
import io.github.dl4jspectral.report.AtomicFiles;
import io.github.dl4jspectral.training.Trainer;
import io.github.dl4jspectral.zoo.ModelSpec;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * Beyond the papers: how few epochs of <em>our</em> protocol reach the test accuracy each network
 * reached with the authors' protocol? For every network of the paper protocol's logs ({@code pruning-runs.csv},
 * {@code decomposition-runs.csv}, {@code sparse-runs.csv} in {@link ClaimsSettings#paperResults()}), its target is
 * the mean test accuracy over the paper protocol's seeds; its counterpart is trained with our protocol and scored on
 * the test split after every epoch until it reaches the target or {@link ClaimsSettings#reachEpochs()} epochs:
 * <ul>
 *   <li>Sci. Rep. networks (784-500-10 tanh, one eigenvalue set, no bias): our {@code full}, {@code eigenvalues}
 *       and {@code dense} networks (two eigenvalue sets, bias, variance-matched initialization);</li>
 *   <li>Phys. Rev. E networks: the same layers and blocks ({@link PreDecomposition#network(String, int, long,
 *       ClaimsSettings.Protocol, double)}, {@link PreSparse#network(String, int, double, long,
 *       ClaimsSettings.Protocol, double)}), Adam, bias in every map, variance-matched initialization, no early
 *       stopping; the sparse networks at {@link #SPARSE_ZEROS} only (the ends of the authors' range and its
 *       headline).</li>
 * </ul>
 * Every counterpart trains on the sweep part of the training split (the validation examples carved from its end
 * are held out) with Adam at the rate its sweep chose; after each epoch it is scored on that validation split, and
 * the first epoch whose validation accuracy reaches the target stops it. The test split is scored once, at that
 * epoch, and is what the table reports: it never decides when to stop. Resumable: each (network, seed) is appended to
 * {@code reach-runs.csv} with the epochs it took and the test accuracy there; a network that did not reach the target
 * within {@link ClaimsSettings#reachEpochs()} epochs is logged with {@code epochs = cap + 1}.
 */
public final class EpochsToReach implements Experiment {

    static final String NAME = "reach";
    /** The sparse networks' fractions of zeros aimed at (percent). */
    static final List<Double> SPARSE_ZEROS = List.of(50.0, 90.0, 98.0);

    /**
     * One network of the paper protocol and its counterpart under ours.
     *
     * @param paper   the paper protocol's measurements of the network (every seed)
     * @param network our counterpart, freshly initialized with the given learning rate and seed
     */
    record Target(List<Measurement> paper, Counterpart network) {

        Measurement first() {
            return paper.get(0);
        }

        /** Mean test accuracy over the paper protocol's seeds. */
        double accuracy() {
            return paper.stream().mapToDouble(Measurement::accuracy).average().orElseThrow();
        }

        /** Mean epochs the paper protocol trained (NaN where the log did not record them). */
        double epochs() {
            OptionalDouble mean = paper.stream().mapToInt(Measurement::epochs).filter(e -> e >= 0).average();
            return mean.isPresent() ? mean.getAsDouble() : Double.NaN;
        }

        /** The series of the reach log: experiment and network, e.g. {@code decomposition-paper/qr}. */
        String series() {
            return first().experiment() + "/" + first().series();
        }
    }

    /** A freshly initialized counterpart network. */
    interface Counterpart {
        MultiLayerNetwork network(double learningRate, long seed);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean runsByDefault() {
        return false;
    }

    @Override
    public List<Candidate> candidates(ClaimsSettings settings) {
        return List.of();
    }

    /** Every network of the paper protocol's logs that has a counterpart, grouped over its seeds. */
    static List<Target> targets(ClaimsSettings settings) throws IOException {
        List<Target> targets = new ArrayList<>();
        for (Map.Entry<String, List<Measurement>> e : bySetting(settings, "pruning-runs.csv").entrySet()) {
            Measurement m = e.getValue().get(0);
            ModelSpec spec = switch (m.series()) {
                case SciRepPruning.POST -> ModelSpec.of(ModelSpec.Kind.FULL);
                case SciRepPruning.PRE_UNTRAINED -> ModelSpec.of(ModelSpec.Kind.EIGENVALUES);
                case SciRepPruning.DENSE -> ModelSpec.of(ModelSpec.Kind.DENSE);
                default -> null;
            };
            if (spec != null && m.x() == 0) {
                Candidate candidate = new Candidate(spec, width(m.model()));
                targets.add(new Target(e.getValue(), (rate, seed) -> candidate.network(FashionMnist.PIXELS,
                        FashionMnist.CLASSES, settings.activation(), rate, seed)));
            }
        }
        for (List<Measurement> runs : bySetting(settings, "decomposition-runs.csv").values()) {
            Measurement m = runs.get(0);
            targets.add(new Target(runs, (rate, seed) -> PreDecomposition.network(m.series(), (int) m.x(), seed,
                    ClaimsSettings.Protocol.OURS, rate)));
        }
        for (List<Measurement> runs : bySetting(settings, "sparse-runs.csv").values()) {
            Measurement m = runs.get(0);
            if (SPARSE_ZEROS.contains(m.x())) {
                targets.add(new Target(runs, (rate, seed) -> PreSparse.network(m.series(), width(m.model()), m.x() / 100,
                        seed, ClaimsSettings.Protocol.OURS, rate)));
            }
        }
        return targets;
    }

    /** The paper log's measurements grouped by (series, model, x), over seeds. */
    private static Map<String, List<Measurement>> bySetting(ClaimsSettings settings, String file) throws IOException {
        return ResultLog.read(settings.paperResults().resolve(file)).stream().collect(Collectors.groupingBy(
                m -> m.series() + "\u0000" + m.model() + "\u0000" + m.x(), LinkedHashMap::new, Collectors.toList()));
    }

    /** The width of a model named {@code h<width>}. */
    private static int width(String model) {
        return Integer.parseInt(model.substring(1));
    }

    @Override
    public String run(Harness harness) throws IOException {
        ClaimsSettings settings = harness.settings();
        List<Target> targets = targets(settings);
        if (targets.isEmpty()) {
            String none = "No paper-protocol results in " + settings.paperResults() + ": run --protocol paper first, or "
                    + "name its output directory with --paper-results.\n";
            harness.log().print(none);
            return none;
        }
        ResultLog log = ResultLog.open(settings.out().resolve(NAME + "-runs.csv"));
        for (long seed : settings.seedValues()) {
            for (Target target : targets) {
                Measurement m = target.first();
                if (!log.has(NAME, target.series(), m.model(), m.x(), seed)) {
                    log.append(reach(harness, log, target, seed));
                }
            }
        }
        String table = markdown(targets, ResultLog.open(log.file()).measurements(), settings.reachEpochs());
        AtomicFiles.writeString(settings.out().resolve(NAME + "-summary.md"), table);
        return table;
    }

    /** Trains the counterpart of {@code target} with {@code seed} until it reaches the target accuracy or the cap. */
    private static Measurement reach(Harness harness, ResultLog log, Target target, long seed) {
        ClaimsSettings settings = harness.settings();
        Measurement m = target.first();
        String name = target.series() + " " + m.model() + " @" + String.format(Locale.ROOT, "%.0f", m.x());
        // A rate chosen by an earlier run (any seed) is reused: the sweep always runs with the first seed.
        double rate = log.measurements().stream().filter(p -> p.series().equals(target.series())
                        && p.model().equals(m.model()) && p.x() == m.x()).mapToDouble(Measurement::learningRate)
                .findFirst().orElseGet(() -> harness.learningRate(name, r -> target.network().network(r, settings.seedValues()[0])));
        MultiLayerNetwork network = target.network().network(rate, seed);
        DataSetIterator data = FashionMnistIterator.builder(harness.data().sweepTraining()).batchSize(settings.batchSize())
                .shuffle(seed).build();
        int epochs = 0;
        double validation = 0;
        long start = System.nanoTime();
        while (epochs < settings.reachEpochs() && validation < target.accuracy()) {
            Trainer.fit(network, data, 1, Trainer.Progress.NONE);
            epochs++;
            validation = harness.validationAccuracy(network);
        }
        double secondsPerEpoch = (System.nanoTime() - start) / 1e9 / epochs;
        boolean reached = validation >= target.accuracy();
        double accuracy = harness.testAccuracy(network);
        ParameterCounts counts = ParameterCounts.of(network);
        harness.log().printf(Locale.ROOT, "  [reach] seed %d %-40s lr %s: %s after %2d epochs (validation %.4f against the "
                        + "paper protocol's %.4f; test %.4f; %.1f s/epoch)%n", seed, name, Harness.rate(rate),
                reached ? "reached" : "NOT reached", epochs, validation, target.accuracy(), accuracy, secondsPerEpoch);
        return harness.stamp(new Measurement(NAME, target.series(), m.model(), m.x(), seed, rate, accuracy,
                counts.trainable(), counts.frozen(), secondsPerEpoch, reached ? epochs : epochs + 1), Measurement.UNKNOWN_WIDTH);
    }

    /** One row per target: the paper protocol's accuracy and epochs, ours to reach it. */
    static String markdown(List<Target> targets, List<Measurement> reached, int cap) {
        StringBuilder s = new StringBuilder("| paper experiment / network | setting | paper protocol: test accuracy % "
                + "(seeds), epochs | ours: Adam lr | ours: epochs until the validation accuracy reaches it, per seed | ours: test "
                + "accuracy at that epoch % |\n"
                + "|---|---|---|---|---|---|\n");
        for (Target t : targets) {
            Measurement m = t.first();
            List<Measurement> ours = reached.stream().filter(r -> r.series().equals(t.series())
                    && r.model().equals(m.model()) && r.x() == m.x()).toList();
            String epochs = ours.isEmpty() ? "-" : ours.stream().map(r -> r.epochs() <= cap
                    ? Integer.toString(r.epochs()) : "> " + cap).collect(Collectors.joining(", "));
            String accuracy = ours.isEmpty() ? "-" : ours.stream().map(r -> String.format(Locale.ROOT, "%.1f",
                    100 * r.accuracy())).collect(Collectors.joining(", "));
            s.append(String.format(Locale.ROOT, "| %s | %s x %.0f | %.1f (%d), %s | %s | %s | %s |%n",
                    Report.cell(t.series()), m.model(),
                    m.x(), 100 * t.accuracy(), t.paper().size(), Double.isNaN(t.epochs()) ? "?" : String.format(Locale.ROOT,
                            "%.0f", t.epochs()), ours.isEmpty() ? "-" : Harness.rate(ours.get(0).learningRate()), epochs,
                    accuracy));
        }
        return s.append(String.format(Locale.ROOT, "%nOurs: at most %d epochs on the training examples outside the validation split; \"> n\" = the validation "
                + "accuracy did not reach the target within them.%n", cap))
                .toString();
    }
}
