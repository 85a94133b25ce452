package io.github.dl4jspectral.conf;

import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralInit;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
