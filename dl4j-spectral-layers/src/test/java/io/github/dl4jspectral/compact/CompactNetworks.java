package io.github.dl4jspectral.compact;

import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.samediff.SameDiffSpectralDenseLayer;
import io.github.dl4jspectral.testing.Nets;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The small trained networks the compact-file fixtures and the fuzz test save: 5 inputs, 3 classes, Adam. */
final class CompactNetworks {

    static final int N_IN = 5;
    static final int CLASSES = 3;

    /** The kinds of spectral network whose files are fuzzed: which groups are trained, which regenerated. */
    enum Kind {
        EIGENVALUES, EIGENVECTORS, SVD_FULL;

        SpectralDenseLayer.Builder hidden() {
            SpectralDenseLayer.Builder b = new SpectralDenseLayer.Builder().nOut(6).activation(Activation.TANH);
            return this == SVD_FULL ? b.preset(SpectralPreset.FULL).svd() : b.preset(SpectralPreset.valueOf(name()));
        }

        SpectralOutputLayer.Builder output() {
            SpectralOutputLayer.Builder b = new SpectralOutputLayer.Builder().nOut(CLASSES)
                    .activation(Activation.SOFTMAX).lossFunction(LossFunctions.LossFunction.MCXENT);
            return this == SVD_FULL ? b.preset(SpectralPreset.FULL).svd() : b.preset(SpectralPreset.valueOf(name()));
        }
    }

    private CompactNetworks() {
    }

    /** spectral hidden (6, TANH) -> DenseLayer (4, RELU) -> spectral output, fitted {@code steps} steps. */
    static MultiLayerNetwork multiLayer(Kind kind, DataType type, int steps) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(31).dataType(type)
                .updater(new Adam(0.05)).list()
                .layer(kind.hidden().build())
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.RELU).build())
                .layer(kind.output().build())
                .setInputType(InputType.feedForward(N_IN)).build());
        net.init();
        for (int i = 0; i < steps; i++) {
            step(net, i);
        }
        return net;
    }

    /** in -> native spectral (kind) -> SameDiff spectral (5) -> DenseLayer (4) -> spectral output, fitted. */
    static ComputationGraph graph(Kind kind, int steps) {
        ComputationGraphConfiguration conf = Nets.doubles(37).updater(new Adam(0.05)).graphBuilder()
                .addInputs("in")
                .addLayer("spectral", kind.hidden().build(), "in")
                .addLayer("samediff", new SameDiffSpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH)
                        .build(), "spectral")
                .addLayer("plain", new DenseLayer.Builder().nOut(4).activation(Activation.RELU).build(), "samediff")
                .addLayer("out", kind.output().build(), "plain")
                .setOutputs("out").setInputTypes(InputType.feedForward(N_IN)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        for (int i = 0; i < steps; i++) {
            step(graph, i);
        }
        return graph;
    }

    /** One fit step on 8 examples drawn with seed {@code i}. */
    static void step(Model net, int i) {
        DataType type = net.params().dataType();
        INDArray x = Nets.features(type, i, 8, N_IN);
        INDArray y = Nets.oneHot(type, i, 8, CLASSES);
        if (net instanceof MultiLayerNetwork mln) {
            mln.fit(x, y);
        } else {
            ((ComputationGraph) net).fit(new INDArray[]{x}, new INDArray[]{y});
        }
    }

    /** The input whose outputs the fixtures record: 4 examples drawn with seed 77. */
    static INDArray probe(DataType type) {
        return Nets.features(type, 77, 4, N_IN);
    }

    static INDArray output(Model net) {
        INDArray x = probe(net.params().dataType());
        return net instanceof MultiLayerNetwork mln ? mln.output(x) : ((ComputationGraph) net).outputSingle(x);
    }

    static INDArray updaterState(Model net) {
        return net instanceof MultiLayerNetwork mln ? mln.getUpdater().getStateViewArray()
                : ((ComputationGraph) net).getUpdater().getStateViewArray();
    }

    static String configuration(Model net) {
        return net instanceof MultiLayerNetwork mln ? mln.getLayerWiseConfigurations().toJson()
                : ((ComputationGraph) net).getConfiguration().toJson();
    }
}
