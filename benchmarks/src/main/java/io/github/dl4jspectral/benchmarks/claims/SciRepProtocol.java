package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralInit;
import io.github.dl4jspectral.conf.SpectralLayerBuilder;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.data.FashionMnist;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Sci. Rep. 2022 Fig. 3 protocol (Buffoni et al., spectral pruning) as read from the authors' reference
 * code (the paper's full text was not available): each fact is a field, printed with the results by
 * {@link #facts()}.
 *
 * <ul>
 *   <li>784 - hidden - 10, hidden activation tanh, softmax output; both maps spectral; no bias anywhere.</li>
 *   <li>One eigenvalue set per map: lambdaIn fixed at 0, so {@code W = -phi .* lambdaOut}.</li>
 *   <li>phi ~ U(-phiRange, phiRange), lambdaOut ~ U(-eigenvalueRange, eigenvalueRange) (0.2 and 0.5).</li>
 *   <li>Adam(learningRate = 1e-3), batch 200, {@code epochs} (100) epochs; no regularization.</li>
 *   <li>Post-processing network: phi and lambdaOut trained. Pre-processing network: lambdaOut only (phi
 *       frozen); after trimming, phi and lambdaOut retrained {@code retrainEpochs} (20) epochs with a fresh
 *       Adam of the same rate.</li>
 *   <li>Baseline: DL4J DenseLayer + OutputLayer, no bias, Glorot (Xavier) uniform, trained the same way.</li>
 * </ul>
 *
 * @param hidden          hidden nodes (the figure's 500; the authors' stored results used 2000)
 * @param activation      hidden activation
 * @param epochs          training epochs of every network
 * @param retrainEpochs   pre-processing's retraining epochs after trimming
 * @param learningRate    Adam learning rate of every training and retraining
 * @param batchSize       minibatch size
 * @param phiRange        phi ~ U(-phiRange, phiRange)
 * @param eigenvalueRange lambdaOut ~ U(-eigenvalueRange, eigenvalueRange)
 */
public record SciRepProtocol(int hidden, Activation activation, int epochs, int retrainEpochs, double learningRate,
                             int batchSize, double phiRange, double eigenvalueRange) {

    /** The authors' values, with the given width and epochs. */
    public static SciRepProtocol of(int hidden, int epochs, int retrainEpochs, int batchSize) {
        return new SciRepProtocol(hidden, Activation.TANH, epochs, retrainEpochs, 1e-3, batchSize, 0.2, 0.5);
    }

    /** Every fact of the protocol by name, for the report. */
    public Map<String, String> facts() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("network", String.format(Locale.ROOT, "784-%d-10, hidden %s, softmax output, both maps spectral",
                hidden, activation.name().toLowerCase(Locale.ROOT)));
        f.put("eigenvalue sets", "one: lambdaIn fixed at 0 (frozen), W = -phi .* lambdaOut");
        f.put("bias", "none, in any layer");
        f.put("initialization", String.format(Locale.ROOT, "phi ~ U(-%s, %s), lambdaOut ~ U(-%s, %s)", phiRange,
                phiRange, eigenvalueRange, eigenvalueRange));
        f.put("optimizer", String.format(Locale.ROOT, "Adam %s, batch %d, %d epochs, no regularization, no learning-rate "
                + "search", Harness.rate(learningRate), batchSize, epochs));
        f.put("post-processing", "phi and lambdaOut trained; hidden nodes with the smallest |lambdaOut| of the producing "
                + "layer removed (pooled over hidden layers); no retraining");
        f.put("pre-processing", String.format(Locale.ROOT, "lambdaOut trained (phi frozen); trimmed by |lambdaOut|; kept "
                + "slices copied; phi and lambdaOut retrained %d epochs with a fresh Adam %s", retrainEpochs,
                Harness.rate(learningRate)));
        f.put("baseline", "DL4J DenseLayer + OutputLayer, no bias, Glorot (Xavier) uniform, trained the same way; "
                + "trimmed by incoming connectivity sum_j |W[j][h]| (pooled)");
        f.put("controls (not in the paper)", "RANDOM node choice for post- and pre-processing and for the dense network");
        f.put("data", "Fashion-MNIST, 60,000 training / 10,000 test images, pixels / 255; seed s fixes the initialization "
                + "and the data order, the same for every network of the seed");
        return f;
    }

    /** The facts as a markdown table. */
    public String factsMarkdown() {
        return Report.facts("Sci. Rep. 2022, authors' code", facts());
    }

    /**
     * The one-set spectral network, freshly initialized: phi and lambdaOut trained (post-processing), or
     * lambdaOut only (pre-processing's first phase, preset EIGENVALUES_OUT).
     */
    public MultiLayerNetwork spectral(boolean trainPhi, long seed) {
        MultiLayerNetwork network = new MultiLayerNetwork(builder(seed).list()
                .layer(oneSet(new SpectralDenseLayer.Builder().nOut(hidden).activation(activation).hasBias(false), trainPhi)
                        .build())
                .layer(oneSet(new SpectralOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(FashionMnist.CLASSES)
                        .activation(Activation.SOFTMAX).hasBias(false), trainPhi).build())
                .setInputType(InputType.feedForward(FashionMnist.PIXELS)).build());
        network.init();
        return network;
    }

    /** The conventional baseline, freshly initialized: no bias, Glorot uniform. */
    public MultiLayerNetwork dense(long seed) {
        MultiLayerNetwork network = new MultiLayerNetwork(builder(seed).weightInit(WeightInit.XAVIER_UNIFORM).list()
                .layer(new DenseLayer.Builder().nOut(hidden).activation(activation).hasBias(false).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(FashionMnist.CLASSES)
                        .activation(Activation.SOFTMAX).hasBias(false).build())
                .setInputType(InputType.feedForward(FashionMnist.PIXELS)).build());
        network.init();
        return network;
    }

    /** A fresh Adam of the protocol's rate (pre-processing's retraining). */
    public Adam updater() {
        return new Adam(learningRate);
    }

    private NeuralNetConfiguration.Builder builder(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(updater());
    }

    private <B extends SpectralLayerBuilder<B>> B oneSet(B layer, boolean trainPhi) {
        SpectralInit init = SpectralInit.uniform(-phiRange, phiRange, 0, 0, -eigenvalueRange, eigenvalueRange);
        return trainPhi
                ? layer.trainLambdaIn(false).trainLambdaOut(true).trainPhi(true).spectralInit(init)
                : layer.preset(SpectralPreset.EIGENVALUES_OUT).spectralInit(init);
    }
}
