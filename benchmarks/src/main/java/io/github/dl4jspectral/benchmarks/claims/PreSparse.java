package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralInit;
import io.github.dl4jspectral.conf.SpectralLayerBuilder;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.data.FashionMnist;
import io.github.dl4jspectral.report.AtomicFiles;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Phys. Rev. E 2021 sparse networks with the authors' protocol (read from their code): 784 - 500 - 500 -
 * 10 tanh, every map (the output map too) keeps only its largest |W| at every forward pass
 * ({@code magnitudeSparsity}), test accuracy against the fraction of zeros:
 * <ul>
 *   <li>{@code spectral}: the QR block, R, both eigenvalue sets and b trained, lambdaIn = 1 and lambdaOut = 0 at the
 *       start (W = phi), phi ~ N(0, 0.036);</li>
 *   <li>{@code dense}: the conventional network under the same rule: W = -phi with the eigenvalues frozen at 0 and 1
 *       (preset EIGENVECTORS, {@code SpectralInit.denseEquivalent()}), no bias, Glorot uniform.</li>
 * </ul>
 * Adam (1e-3 on Fashion-MNIST, 0.005 on MNIST, the code's rates), batch 200, at most 90 epochs with early stopping on a 30% validation split (min_delta 0.005, patience
 * 5). Resumable: each (model, fraction, seed) point is appended to {@code sparse-runs.csv} when its training ends.
 */
public final class PreSparse implements Experiment {

    static final String NAME = "sparse-paper";
    /**
     * The authors' fractions of zeros (their notebook's percentiles 50 - 98), the most telling first (a partial run
     * has them).
     */
    static final List<Double> ZEROS = List.of(0.9, 0.98, 0.5, 0.95, 0.8, 0.7, 0.85);
    static final List<String> MODELS = List.of("spectral", "dense");
    static final double MIN_DELTA = 0.005;
    static final int PATIENCE = 5;
    static final double VALIDATION_SPLIT = 0.3;
    static final int MAX_EPOCHS = 90;
    static final double LEARNING_RATE = 1e-3;
    /** The authors' Adam rate on MNIST (every model). */
    static final double MNIST_LEARNING_RATE = 0.005;

    @Override
    public String name() {
        return "sparse";
    }

    @Override
    public List<Candidate> candidates(ClaimsSettings settings) {
        return List.of();
    }

    static List<Double> zeros(ClaimsSettings settings) {
        return settings.quick() ? List.of(0.9) : ZEROS;
    }

    static Map<String, String> facts(ClaimsSettings settings) {
        int n = settings.hidden();
        Map<String, String> f = new LinkedHashMap<>();
        f.put("networks", String.format(Locale.ROOT, "784-%d-%d-10 tanh, softmax output; every map keeps only its largest "
                + "|W| at every forward pass, fraction of zeros %s", n, n, zeros(settings)));
        f.put("spectral", "QR block (R, lambdaIn, lambdaOut, b trained), lambdaIn = 1 and lambdaOut = 0 at the start, "
                + "phi ~ N(0, 0.036), bias");
        f.put("dense", "the same rule on a plain W (W = -phi, eigenvalues frozen at 0 and 1), no bias, Glorot uniform");
        f.put("rule", "the round(f n) smallest |W| of each map zeroed (strict |W| > t, as the code's where(abs(W) > "
                + "percentile)); t follows the parameters; the code's percentile interpolates 'nearest'");
        f.put("optimizer", "Adam " + Harness.rate(learningRate(settings.dataset())) + " (the code's "
                + settings.dataset().title() + " rate), batch " + settings.batchSize());
        f.put("epochs", "at most " + Math.min(settings.epochs(), MAX_EPOCHS) + ", early stopping on validation accuracy "
                + "(min_delta " + MIN_DELTA + ", patience " + PATIENCE + ", last weights kept)");
        f.put("data", settings.dataset().title() + ": the first 70% of the 60,000 training images train, the last 30% "
                + "validate, the 10,000 test images score");
        return f;
    }

    @Override
    public String run(Harness harness) throws IOException {
        ClaimsSettings settings = harness.settings();
        ResultLog log = ResultLog.open(settings.out().resolve(name() + "-runs.csv"));
        EarlyStopping.Split data = EarlyStopping.Split.of(harness.data().training(), VALIDATION_SPLIT);
        EarlyStopping stopping = new EarlyStopping(Math.min(settings.epochs(), MAX_EPOCHS), MIN_DELTA, PATIENCE);
        for (long seed : settings.seedValues()) {
            for (double zeros : zeros(settings)) {
                for (String model : MODELS) {
                    if (log.has(NAME, model, "h" + settings.hidden(), 100 * zeros, seed)) {
                        continue;
                    }
                    double rate = learningRate(settings.dataset());
                    MultiLayerNetwork network = network(model, settings.hidden(), zeros, seed,
                            ClaimsSettings.Protocol.PAPER, rate);
                    EarlyStopping.Result trained = stopping.train(network, data, seed, settings.batchSize());
                    ParameterCounts counts = ParameterCounts.of(network);
                    double accuracy = harness.testAccuracy(network);
                    log.append(harness.stamp(new Measurement(NAME, model, "h" + settings.hidden(), 100 * zeros, seed,
                            rate, accuracy, counts.trainable(), counts.frozen(), trained.secondsPerEpoch(),
                            trained.epochs()), settings.hidden()));
                    harness.log().printf(Locale.ROOT, "  [paper] sparse seed %d %-8s %4.1f%% zeros: %2d epochs, test "
                                    + "accuracy %.4f (%.1f s/epoch)%n", seed, model, 100 * zeros, trained.epochs(), accuracy,
                            trained.secondsPerEpoch());
                }
            }
        }
        List<Measurement> measured = ResultLog.open(log.file()).measurements();
        String table = Report.writeSummary(settings, name(), String.format(Locale.ROOT, "Phys. Rev. E protocol, "
                        + "784-%d-%d-10 tanh, largest |W| kept: test accuracy vs %% zeros", settings.hidden(), settings.hidden()),
                measured, "% of W zero", x -> String.format(Locale.ROOT, "%.0f", x), false, false);
        String paired = Report.writePaired(settings, name(), measured, List.of("spectral vs dense"), "% of W zero",
                x -> String.format(Locale.ROOT, "%.0f", x));
        String facts = Report.facts("Phys. Rev. E 2021 sparse, authors' code", facts(settings));
        AtomicFiles.writeString(settings.out().resolve(name() + "-protocol.md"), facts);
        return facts + "\n" + table + "\n" + paired;
    }

    /** The authors' Adam rate on {@code dataset}. */
    static double learningRate(Dataset dataset) {
        return dataset == Dataset.MNIST ? MNIST_LEARNING_RATE : LEARNING_RATE;
    }

    /**
     * A freshly initialized 784 - n - n - 10 tanh network of {@code model}, every map sparsified to {@code zeros},
     * the authors' protocol.
     */
    static MultiLayerNetwork network(String model, int n, double zeros, long seed) {
        return network(model, n, zeros, seed, ClaimsSettings.Protocol.PAPER, LEARNING_RATE);
    }

    /**
     * A freshly initialized 784 - n - n - 10 tanh network of {@code model}, every map sparsified to {@code zeros}:
     * the authors' protocol, or ours (the same maps and rule, Adam with {@code learningRate}, bias in every map,
     * Glorot uniform and the library's variance-matched spectral initialization).
     */
    static MultiLayerNetwork network(String model, int n, double zeros, long seed, ClaimsSettings.Protocol protocol,
                                     double learningRate) {
        boolean spectral = model.equals("spectral");
        boolean paper = protocol == ClaimsSettings.Protocol.PAPER;
        boolean bias = spectral || !paper;
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(paper && spectral ? new WeightInitDistribution(new NormalDistribution(0, 0.036))
                        : WeightInit.XAVIER_UNIFORM.getWeightInitFunction())
                .list();
        for (int i = 0; i < 2; i++) {
            list.layer(map(new SpectralDenseLayer.Builder().nOut(n).activation(Activation.TANH).hasBias(bias),
                    spectral, paper, zeros).build());
        }
        list.layer(map(new SpectralOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(FashionMnist.CLASSES)
                .activation(Activation.SOFTMAX).hasBias(bias), spectral, paper, zeros).build());
        MultiLayerNetwork network = new MultiLayerNetwork(list.setInputType(InputType.feedForward(FashionMnist.PIXELS)).build());
        network.init();
        return network;
    }

    private static <B extends SpectralLayerBuilder<B>> B map(B layer, boolean spectral, boolean paper, double zeros) {
        return (spectral
                ? layer.preset(SpectralPreset.FULL).qr()
                        .spectralInit(paper ? SpectralInit.weightInitPhi(1, 1, 0, 0) : SpectralInit.varianceMatched())
                : layer.preset(SpectralPreset.EIGENVECTORS).spectralInit(SpectralInit.denseEquivalent()))
                .magnitudeSparsity(zeros);
    }
}
