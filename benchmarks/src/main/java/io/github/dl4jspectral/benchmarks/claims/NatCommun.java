package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.report.AtomicFiles;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Nat. Commun. 2021 (Giambagli et al.), "adjusting the eigenvalues, when freezing the eigenvectors, performs well":
 * the one-set spectral network trained on its eigenvalues only against the conventional network of the same width,
 * with the authors' script published with the paper (Buffoni/spectral_learning, SpectralLearning.py and
 * SpectralLayer.py at commit 84b0246):
 * <ul>
 *   <li>784 - n - 10, tanh hidden, softmax output, no bias; n in {500, 2000} (the script's 2000 and the width of
 *       the notebook it replaced);</li>
 *   <li>one eigenvalue set per map (lambdaIn fixed at 0, W = -phi .* lambdaOut), phi ~ U(-0.2, 0.2), lambdaOut ~
 *       U(-0.5, 0.5);</li>
 *   <li>models: {@code eigenvalues} (lambdaOut only, phi frozen: n + 10 trained numbers), {@code full} (phi and
 *       lambdaOut, the script's setting), {@code dense} (DL4J DenseLayer + OutputLayer, Glorot uniform) and
 *       {@code subset}, the paper's control "restricted to an identical number of free parameters": the dense
 *       network with n randomly chosen weights of the first map and 10 of the second trained, the others frozen at
 *       their initial values ({@link WeightSubset});</li>
 *   <li>Adam 0.003, batch 1000, 10 epochs, the whole training split, scored on the test split. The script's L1
 *       penalty on the eigenvalues serves its pruning step and is left out.</li>
 * </ul>
 * Resumable: each (model, n, seed) point is appended to {@code natcommun-runs.csv} when its training ends.
 */
public final class NatCommun implements Experiment {

    static final String NAME = "natcommun-paper";
    static final List<Integer> WIDTHS = List.of(500, 2000);
    static final List<String> MODELS = List.of("eigenvalues", "dense", "full", "subset");
    static final double LEARNING_RATE = 0.003;
    static final int BATCH = 1000;
    static final int EPOCHS = 10;

    @Override
    public String name() {
        return "natcommun";
    }

    @Override
    public boolean runsByDefault() {
        return false;
    }

    @Override
    public List<Candidate> candidates(ClaimsSettings settings) {
        return List.of();
    }

    static List<Integer> widths(ClaimsSettings settings) {
        return settings.quick() ? List.of(50) : WIDTHS;
    }

    static int epochs(ClaimsSettings settings) {
        return Math.min(settings.epochs(), EPOCHS);
    }

    static SciRepProtocol protocol(int width, int epochs) {
        return new SciRepProtocol(width, Activation.TANH, epochs, 1, LEARNING_RATE, BATCH, 0.2, 0.5);
    }

    static Map<String, String> facts(ClaimsSettings settings) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("networks", "784-n-10, n in " + widths(settings) + ", tanh hidden, softmax output, no bias");
        f.put("eigenvalue sets", "one: lambdaIn fixed at 0, W = -phi .* lambdaOut; phi ~ U(-0.2, 0.2), lambdaOut ~ "
                + "U(-0.5, 0.5)");
        f.put("models", "eigenvalues (lambdaOut only, phi frozen), full (phi and lambdaOut: the script's setting), dense "
                + "(DenseLayer + OutputLayer, Glorot uniform), subset (the dense network with n random weights of the "
                + "first map and 10 of the second trained, the rest frozen: the paper's equal-parameter control)");
        f.put("optimizer", "Adam " + Harness.rate(LEARNING_RATE) + ", batch " + BATCH + ", " + epochs(settings)
                + " epochs, no learning-rate search; the script's L1 penalty on the eigenvalues (for its pruning) left out");
        f.put("data", settings.dataset().title() + ", 60,000 training / 10,000 test images, pixels / 255; seed s fixes "
                + "the initialization and the data order");
        f.put("source", "Buffoni/spectral_learning, SpectralLearning.py + SpectralLayer.py at commit 84b0246 (2021-01-05)");
        return f;
    }

    @Override
    public String run(Harness harness) throws IOException {
        ClaimsSettings settings = harness.settings();
        ResultLog log = ResultLog.open(settings.out().resolve(name() + "-runs.csv"));
        int epochs = epochs(settings);
        for (long seed : settings.seedValues()) {
            for (int n : widths(settings)) {
                SciRepProtocol protocol = protocol(n, epochs);
                Map<String, Supplier<MultiLayerNetwork>> networks = new LinkedHashMap<>();
                networks.put("eigenvalues", () -> protocol.spectral(false, seed));
                networks.put("dense", () -> protocol.dense(seed));
                networks.put("full", () -> protocol.spectral(true, seed));
                networks.put("subset", () -> protocol.dense(seed));
                for (Map.Entry<String, Supplier<MultiLayerNetwork>> e : networks.entrySet()) {
                    String model = e.getKey();
                    if (log.has(NAME, model, "n" + n, n, seed)) {
                        continue;
                    }
                    MultiLayerNetwork network = e.getValue().get();
                    WeightSubset subset = model.equals("subset")
                            ? WeightSubset.restrict(network, new int[]{n, 10}, seed) : null;
                    var timing = harness.fit(model + "-n" + n, "train", network, harness.data().training(), seed, epochs,
                            BATCH);
                    ParameterCounts counts = ParameterCounts.of(network);
                    long trainable = subset == null ? counts.trainable() : subset.trainable();
                    long frozen = subset == null ? counts.frozen() : subset.frozen();
                    double accuracy = harness.testAccuracy(network);
                    log.append(harness.stamp(new Measurement(NAME, model, "n" + n, n, seed, LEARNING_RATE, accuracy,
                            trainable, frozen, timing.secondsPerEpoch(), epochs), n));
                    harness.log().printf(Locale.ROOT, "  [paper] natcommun seed %d %-11s n %4d: test accuracy %.4f, %,d "
                            + "trainable (%s)%n", seed, model, n, accuracy, trainable, harness.lastTiming());
                }
            }
        }
        List<Measurement> measured = ResultLog.open(log.file()).measurements();
        String table = Report.writeSummary(settings, name(), "Nat. Commun. protocol, 784-n-10 tanh: test accuracy vs n",
                measured, "n", x -> String.format(Locale.ROOT, "%.0f", x), false, false);
        String paired = Report.writePaired(settings, name(), measured, List.of("eigenvalues vs subset", "eigenvalues vs dense",
                "full vs dense", "full vs eigenvalues"), "n", x -> String.format(Locale.ROOT, "%.0f", x));
        String facts = Report.facts("Nat. Commun. 2021, authors' code", facts(settings));
        AtomicFiles.writeString(settings.out().resolve(name() + "-protocol.md"), facts);
        return facts + "\n" + table + "\n" + paired;
    }
}
