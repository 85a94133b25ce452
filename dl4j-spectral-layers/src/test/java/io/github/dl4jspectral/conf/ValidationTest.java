package io.github.dl4jspectral.conf;

import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralInit;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import io.github.dl4jspectral.samediff.SameDiffSpectralDenseLayer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Bad input gets an exception whose message names the layer, the field and the expected value. */
class ValidationTest {


    private static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(1).updater(new Adam(0.1)).list()
                .layer(new SpectralDenseLayer.Builder().name("hidden").nOut(5).preset(SpectralPreset.FULL).build())
                .layer(new SpectralOutputLayer.Builder().name("out").nOut(3).build())
                .setInputType(InputType.feedForward(4)).build());
        net.init();
        return net;
    }

    @Test
    void inputOfWrongWidthIsRejectedAndParametersStayUntouched() {
        MultiLayerNetwork net = network();
        INDArray before = net.params().dup();
        INDArray wide = Nets.features(DataType.DOUBLE, 1, 2, 7);

        Nets.assertMessage(DL4JInvalidInputException.class, () -> net.output(wide),
                "SpectralDenseLayer \"hidden\"", "[2, 7]", "nIn", "4");
        Nets.assertMessage(DL4JInvalidInputException.class, () -> net.fit(wide, Nets.oneHot(DataType.DOUBLE, 1, 2, 3)),
                "SpectralDenseLayer \"hidden\"", "nIn", "4");
        assertEquals(before, net.params());
    }

    @Test
    void nonPositiveSizesAreRejectedWhenBuilt() {
        Nets.assertMessage(DL4JInvalidConfigException.class,
                () -> new SpectralDenseLayer.Builder().name("h").nIn(-3).nOut(4).build(),
                "SpectralDenseLayer \"h\"", "nIn = -3", "expected nIn > 0");
        Nets.assertMessage(DL4JInvalidConfigException.class,
                () -> new SpectralDenseLayer.Builder().name("h").nIn(3).nOut(0).build(),
                "SpectralDenseLayer \"h\"", "nOut = 0", "expected nOut > 0");
        Nets.assertMessage(DL4JInvalidConfigException.class,
                () -> new SpectralOutputLayer.Builder().nIn(3).nOut(-1).build(),
                "SpectralOutputLayer (unnamed)", "nOut = -1", "expected nOut > 0");
    }

    @Test
    void missingNInIsRejectedWhenTheNetworkIsCreated() {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(1).list()
                .layer(new SpectralDenseLayer.Builder().name("h").nOut(4).build())
                .layer(new SpectralOutputLayer.Builder().nIn(4).nOut(2).build()).build());
        Nets.assertMessage(DL4JInvalidConfigException.class, net::init,
                "SpectralDenseLayer \"h\"", "layer index 0", "nIn = 0", "expected nIn > 0");
    }

    @Test
    void invalidInitializationRangesAreRejected() {
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new SpectralDenseLayer.Builder().name("h").nIn(2).nOut(2)
                        .spectralInit(SpectralInit.uniform(0.5, 0.2, -1, 1, -1, 1)).build(),
                "SpectralDenseLayer \"h\"", "init.phiMin = 0.5", "init.phiMax = 0.2", "expected phiMin <= phiMax");
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new SpectralOutputLayer.Builder().name("o").nIn(2).nOut(2)
                        .spectralInit(SpectralInit.uniform(-1, 1, -1, 1, 0, Double.NaN)).build(),
                "SpectralOutputLayer \"o\"", "init.lambdaOutMin/lambdaOutMax", "expected finite numbers");
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new SpectralDenseLayer.Builder().nIn(2).nOut(2)
                        .spectralInit(SpectralInit.paper(0.2, -0.5)).build(),
                "init.lambdaInMin = 0.5", "expected lambdaInMin <= lambdaInMax");
    }

    @Test
    void presetWithContradictingFlagIsRejected() {
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new SpectralDenseLayer.Builder().name("h").nIn(2).nOut(2)
                        .preset(SpectralPreset.EIGENVALUES).trainPhi(true).build(),
                "SpectralDenseLayer \"h\"", "trainPhi(true)", "preset EIGENVALUES", "expected trainPhi(false)");
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new SpectralOutputLayer.Builder().nIn(2).nOut(2)
                        .trainLambdaIn(true).preset(SpectralPreset.EIGENVALUES_OUT).build(),
                "trainLambdaIn(true)", "preset EIGENVALUES_OUT", "expected trainLambdaIn(false)");
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new SpectralDenseLayer.Builder().nIn(2).nOut(2)
                        .hasBias(false).trainBias(true).build(),
                "trainBias(true)", "hasBias(false)");
        assertDoesNotThrow(() -> new SpectralDenseLayer.Builder().nIn(2).nOut(2)
                .preset(SpectralPreset.FULL).trainPhi(true).trainLambdaIn(true).build(), "agreeing flags are fine");
    }

    /** The JSON of a network [layer, output], changed by {@code edit} (given the layer's object), loaded back. */
    private static MultiLayerNetwork loaded(org.deeplearning4j.nn.conf.layers.Layer layer,
                                            java.util.function.Consumer<ObjectNode> edit) throws Exception {
        String json = Nets.doubles(1).list().layer(layer).layer(new SpectralOutputLayer.Builder().name("out").nOut(3).build())
                .setInputType(InputType.feedForward(4)).build().toJson();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode tree = (ObjectNode) mapper.readTree(json);
        edit.accept((ObjectNode) tree.get("confs").get(0).get("layer"));
        return new MultiLayerNetwork(MultiLayerConfiguration.fromJson(mapper.writeValueAsString(tree)));
    }

    private static ObjectNode spectral(ObjectNode layer) {
        return (ObjectNode) layer.get("spectral");
    }

    @Test
    void loadedConfigurationIsValidatedExactlyAsTheBuilderValidates() throws Exception {
        SpectralDenseLayer.Builder valid = new SpectralDenseLayer.Builder().name("hidden").nOut(5);
        MultiLayerNetwork missing = loaded(valid.build(), layer -> layer.putNull("spectral"));
        Nets.assertMessage(DL4JInvalidConfigException.class, missing::init,
                "SpectralDenseLayer \"hidden\"", "spectral settings missing", "expected a SpectralSettings");
        MultiLayerNetwork missingSameDiff = loaded(new SameDiffSpectralDenseLayer.Builder().name("sd").nOut(5)
                .activation(Activation.TANH).build(), layer -> layer.putNull("spectral"));
        Nets.assertMessage(DL4JInvalidConfigException.class, missingSameDiff::init,
                "SameDiffSpectralDenseLayer \"sd\"", "spectral settings missing");

        // Each case: a builder call the builder refuses, and the same setting written into the JSON of a valid layer;
        // the loaded network must refuse it in the same words.
        List<RefusedSetting> cases = List.of(
                new RefusedSetting("EIGENVALUES_OUT training lambdaIn", named().preset(SpectralPreset.EIGENVALUES_OUT),
                        b -> b.trainLambdaIn(true), layer -> spectral(layer).put("trainLambdaIn", true)),
                new RefusedSetting("EIGENVALUES training phi", named().preset(SpectralPreset.EIGENVALUES),
                        b -> b.trainPhi(true), layer -> spectral(layer).put("trainPhi", true)),
                new RefusedSetting("FULL with a frozen bias", named().preset(SpectralPreset.FULL),
                        b -> b.trainBias(false), layer -> spectral(layer).put("trainBias", false)),
                new RefusedSetting("trained bias without bias", named().hasBias(false),
                        b -> b.trainBias(true), layer -> spectral(layer).put("trainBias", true)),
                new RefusedSetting("magnitude sparsity 1.5", named(),
                        b -> b.magnitudeSparsity(1.5), layer -> spectral(layer).put("magnitudeSparsity", 1.5)),
                new RefusedSetting("authors' S-SVD init with a dense block", named(),
                        b -> b.spectralInit(SpectralInit.authorsSvd()),
                        layer -> ((ObjectNode) spectral(layer).get("init")).put("mode", "AUTHORS_SVD")
                                .put("lambdaOutMin", 1).put("lambdaOutMax", 1)),
                new RefusedSetting("uniform init with phiMin > phiMax", named(),
                        b -> b.spectralInit(SpectralInit.uniform(0.5, 0.2, -1, 1, -1, 1)),
                        layer -> ((ObjectNode) spectral(layer).get("init")).put("mode", "UNIFORM").put("phiMin", 0.5)
                                .put("phiMax", 0.2).put("lambdaInMin", -1).put("lambdaInMax", 1)
                                .put("lambdaOutMin", -1).put("lambdaOutMax", 1)));
        for (RefusedSetting c : cases) {
            MultiLayerNetwork net = loaded(c.valid().build(), c.json());
            String builderMessage = assertThrows(DL4JInvalidConfigException.class,
                    () -> c.builderCall().apply(c.valid()).build(), c.name()).getMessage();
            String loadedMessage = assertThrows(DL4JInvalidConfigException.class, net::init, c.name()).getMessage();
            assertEquals(builderMessage, loadedMessage, c.name());
        }
    }

    private static SpectralDenseLayer.Builder named() {
        return new SpectralDenseLayer.Builder().name("hidden").nOut(5);
    }

    private record RefusedSetting(String name, SpectralDenseLayer.Builder valid,
                                  java.util.function.UnaryOperator<SpectralDenseLayer.Builder> builderCall,
                                  java.util.function.Consumer<ObjectNode> json) {
    }
}
