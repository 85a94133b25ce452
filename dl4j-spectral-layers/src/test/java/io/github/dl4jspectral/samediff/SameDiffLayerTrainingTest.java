package io.github.dl4jspectral.samediff;

import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.SpectralInit;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.samediff.SameDiffSpectralDenseLayer;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.memory.MemoryType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SameDiff layer through DL4J's fit loop: frozen groups, updater state, saving, and rejected settings. */
class SameDiffLayerTrainingTest {

    private static MultiLayerConfiguration conf(SameDiffSpectralDenseLayer hidden) {
        return Nets.doubles(4).updater(new Adam(0.05)).l2(0.1).list()
                .layer(hidden)
                .layer(new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(5)).build();
    }

    private static MultiLayerNetwork network(SameDiffSpectralDenseLayer hidden) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf(hidden));
        net.init();
        return net;
    }

    private static void step(MultiLayerNetwork net, int i) {
        net.fit(Nets.features(DataType.DOUBLE, i, 8, 5), Nets.oneHot(DataType.DOUBLE, i, 8, 3));
    }

    @ParameterizedTest
    @EnumSource(SpectralPreset.class)
    void frozenGroupsStayBitIdenticalAndKeepNoUpdaterState(SpectralPreset preset) {
        MultiLayerNetwork net = network(new SameDiffSpectralDenseLayer.Builder().nOut(6).activation(Activation.TANH)
                .preset(preset).build());
        Set<String> frozen = Nets.frozenKeys(net);
        Map<String, INDArray> before = Nets.snapshot(net.paramTable());
        for (int i = 0; i < 5; i++) {
            step(net, i);
        }

        assertEquals(Stream.of(SpectralParam.PHI, SpectralParam.LAMBDA_IN, SpectralParam.LAMBDA_OUT, SpectralParam.BIAS).filter(g -> !preset.trains(g)).count(), frozen.size());
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            if (frozen.contains(e.getKey())) {
                assertEquals(before.get(e.getKey()), e.getValue(), e.getKey() + " is frozen");
            } else {
                assertNotEquals(before.get(e.getKey()), e.getValue(), e.getKey() + " is trained");
            }
        }
        long trainable = ParameterCounts.of(net).trainable();
        assertEquals(2 * trainable, net.getUpdater().getStateViewArray().length(), "Adam keeps 2 numbers per trained one");
        long reported = net.getLayerWiseConfigurations().getMemoryReport(InputType.feedForward(5))
                .getMemoryBytes(MemoryType.UPDATER_STATE, 1, MemoryUseMode.TRAINING, CacheMode.NONE, DataType.DOUBLE);
        assertEquals(2 * trainable * 8, reported);
    }

    @Test
    void jsonAndModelSerializerRoundTripsResumeTrainingExactly(@TempDir File dir) throws IOException {
        SameDiffSpectralDenseLayer hidden = new SameDiffSpectralDenseLayer.Builder().name("hidden").nOut(6)
                .activation(Activation.SIGMOID).hasBias(false).trainLambdaOut(false).trainPhi(true)
                .spectralInit(SpectralInit.paper(0.3, 0.7)).biasInit(0.5).build();
        MultiLayerConfiguration conf = conf(hidden);
        MultiLayerConfiguration restoredConf = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, restoredConf);
        assertEquals(conf.toJson(), restoredConf.toJson());

        MultiLayerNetwork uninterrupted = new MultiLayerNetwork(conf.clone());
        uninterrupted.init();
        MultiLayerNetwork firstHalf = new MultiLayerNetwork(conf.clone());
        firstHalf.init();
        for (int i = 0; i < 10; i++) {
            step(uninterrupted, i);
        }
        for (int i = 0; i < 5; i++) {
            step(firstHalf, i);
        }
        File file = new File(dir, "samediff.zip");
        ModelSerializer.writeModel(firstHalf, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(firstHalf.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        for (int i = 5; i < 10; i++) {
            step(restored, i);
        }
        assertEquals(uninterrupted.params(), restored.params());
    }

    @Test
    void computationGraphJsonRoundTrip() {
        ComputationGraphConfiguration conf = Nets.doubles(1).graphBuilder().addInputs("in")
                .addLayer("s", new SameDiffSpectralDenseLayer.Builder().nOut(4).activation(Activation.RELU)
                        .preset(SpectralPreset.EIGENVECTORS).build(), "in")
                .addLayer("out", new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build(), "s")
                .setOutputs("out").setInputTypes(InputType.feedForward(3)).build();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
    }

    @Test
    void setParamWritesTheValue() {
        MultiLayerNetwork net = network(new SameDiffSpectralDenseLayer.Builder().nOut(6).activation(Activation.TANH).build());
        INDArray value = Nets.features(DataType.DOUBLE, 1, 1, 6);
        net.getLayer(0).setParam("lambdaOut", value);
        assertEquals(value, net.getParam("0_lambdaOut"));
        assertThrows(IllegalArgumentException.class, () -> net.getLayer(0).setParam("lambdaOut", Nets.features(DataType.DOUBLE, 1, 1, 5)));
    }


    @Test
    void settingsTheSameDiffLayerCannotHonourAreRejected() {
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new SameDiffSpectralDenseLayer.Builder().name("s").nOut(3).activation(Activation.TANH)
                .dropOut(0.5).build(), "SameDiffSpectralDenseLayer \"s\"", "dropout is not supported", "expected no dropOut");
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new SameDiffSpectralDenseLayer.Builder().name("s").nOut(3).activation(Activation.LEAKYRELU).build(),
                "SameDiffSpectralDenseLayer \"s\"", "activation LEAKYRELU", "expected one of");
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new MultiLayerNetwork(Nets.doubles(1).dropOut(0.8).list()
                        .layer(new SameDiffSpectralDenseLayer.Builder().name("s").nOut(3).activation(Activation.TANH).build())
                        .layer(new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build())
                        .setInputType(InputType.feedForward(3)).build()).init(),
                "SameDiffSpectralDenseLayer \"s\" (layer index 0)", "dropout is not supported");
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> Nets.doubles(1).weightNoise(new DropConnect(0.9)).list()
                        .layer(new SameDiffSpectralDenseLayer.Builder().name("s").nOut(3).activation(Activation.TANH).build())
                        .layer(new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build())
                        .setInputType(InputType.feedForward(3)).build(),
                "SameDiffSpectralDenseLayer \"s\"", "weight noise", "expected no weightNoise");
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new SameDiffSpectralDenseLayer.Builder().name("s").nOut(3).preset(SpectralPreset.EIGENVALUES)
                .trainPhi(true).build(), "trainPhi(true)", "contradicts preset EIGENVALUES");
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new SameDiffSpectralDenseLayer.Builder().name("s").nOut(0).build(), "nOut = 0", "expected nOut > 0");
    }

    @Test
    void nInIsInferredAndTheGlobalActivationAndWeightInitApply() {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(2).activation(Activation.RELU)
                .weightInit(org.deeplearning4j.nn.weights.WeightInit.RELU).list()
                .layer(new SameDiffSpectralDenseLayer.Builder().nOut(4).build())
                .layer(new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(7)).build());
        net.init();
        var layer = (SameDiffSpectralDenseLayer) net.getLayer(0).conf().getLayer();
        assertEquals(7, layer.getNIn());
        assertEquals(Activation.RELU, layer.getActivation());
        assertEquals(org.deeplearning4j.nn.weights.WeightInit.RELU.getWeightInitFunction(), layer.getWeightInitFn());
        INDArray out = net.feedForward(Nets.features(DataType.DOUBLE, 1, 5, 7), false).get(1);
        assertTrue(out.minNumber().doubleValue() >= 0, "ReLU output");
    }
}
