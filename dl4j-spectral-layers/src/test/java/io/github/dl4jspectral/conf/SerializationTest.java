package io.github.dl4jspectral.conf;

import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralInit;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.conf.SpectralSettings;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Saved configurations and models lose nothing. */
class SerializationTest {

    private static NeuralNetConfiguration.Builder global() {
        return Nets.doubles(5).updater(new Adam(0.03)).l2(1e-3);
    }

    /** Every spectral setting away from its default, so that a dropped field shows. */
    private static SpectralDenseLayer unusualHidden() {
        return new SpectralDenseLayer.Builder().name("hidden").nOut(7).activation(Activation.SIGMOID).hasBias(false)
                .trainLambdaOut(false).trainPhi(true)
                .spectralInit(SpectralInit.uniform(-0.3, 0.1, 0.2, 0.4, -1, -0.5))
                .dropOut(0.9).weightNoise(new DropConnect(0.95)).build();
    }

    private static SpectralOutputLayer output() {
        return new SpectralOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                .preset(SpectralPreset.EIGENVALUES_OUT).spectralInit(SpectralInit.denseEquivalent()).build();
    }

    private static MultiLayerConfiguration mlnConf() {
        return global().list().layer(unusualHidden()).layer(output()).setInputType(InputType.feedForward(4)).build();
    }

    @Test
    void multiLayerConfigurationJsonRoundTrip() {
        MultiLayerConfiguration conf = mlnConf();
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());

        assertEquals(conf, restored);
        assertEquals(conf.toJson(), restored.toJson());
        SpectralDenseLayer hidden = (SpectralDenseLayer) restored.getConf(0).getLayer();
        SpectralSettings s = hidden.getSpectral();
        assertNull(s.getPreset(), "custom combination");
        assertEquals(false, hidden.hasBias());
        assertEquals(true, s.isTrainLambdaIn());
        assertEquals(false, s.isTrainLambdaOut());
        assertEquals(true, s.isTrainPhi());
        assertEquals(SpectralInit.uniform(-0.3, 0.1, 0.2, 0.4, -1, -0.5), s.getInit());
        assertEquals(SpectralPreset.EIGENVALUES_OUT, ((SpectralOutputLayer) restored.getConf(1).getLayer())
                .getSpectral().getPreset());
        assertEquals(conf.getConf(0).getLayer(), MultiLayerConfiguration.fromYaml(conf.toYaml()).getConf(0).getLayer());
    }

    @Test
    void computationGraphConfigurationJsonRoundTrip() {
        ComputationGraphConfiguration conf = global().graphBuilder().addInputs("in")
                .addLayer("hidden", unusualHidden(), "in").addLayer("out", output(), "hidden")
                .setOutputs("out").setInputTypes(InputType.feedForward(4)).build();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());

        assertEquals(conf, restored);
        assertEquals(conf.toJson(), restored.toJson());
    }

    @Test
    void changedSpectralSettingMakesConfigurationsDiffer() {
        SpectralDenseLayer a = new SpectralDenseLayer.Builder().nIn(3).nOut(2).preset(SpectralPreset.FULL).build();
        SpectralDenseLayer b = new SpectralDenseLayer.Builder().nIn(3).nOut(2).preset(SpectralPreset.EIGENVALUES).build();
        assertNotEquals(a, b);
        assertNotEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void modelSerializerRoundTripResumesTrainingExactly(@TempDir File dir) throws IOException {
        MultiLayerNetwork uninterrupted = new MultiLayerNetwork(mlnConf().clone());
        uninterrupted.init();
        MultiLayerNetwork firstHalf = new MultiLayerNetwork(mlnConf().clone());
        firstHalf.init();
        assertEquals(uninterrupted.params(), firstHalf.params());

        for (int i = 0; i < 10; i++) {
            step(uninterrupted, i);
        }
        for (int i = 0; i < 5; i++) {
            step(firstHalf, i);
        }
        File file = new File(dir, "spectral.zip");
        ModelSerializer.writeModel(firstHalf, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(firstHalf.params(), restored.params());
        assertEquals(firstHalf.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(firstHalf.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        for (int i = 5; i < 10; i++) {
            step(restored, i);
        }

        assertEquals(uninterrupted.params(), restored.params());
    }

    /** Training step i; the random generator is reset so that dropout and DropConnect draw the same masks. */
    private static void step(MultiLayerNetwork net, int i) {
        Nd4j.getRandom().setSeed(1000 + i);
        net.fit(Nets.features(DataType.DOUBLE, i, 6, 4), Nets.oneHot(DataType.DOUBLE, i, 6, 3));
    }

    @Test
    void computationGraphModelSerializerRoundTrip(@TempDir File dir) throws IOException {
        ComputationGraph graph = new ComputationGraph(global().graphBuilder().addInputs("in")
                .addLayer("hidden", new SpectralDenseLayer.Builder().nOut(5).preset(SpectralPreset.FULL).build(), "in")
                .addLayer("out", output(), "hidden").setOutputs("out").setInputTypes(InputType.feedForward(4)).build());
        graph.init();
        graph.fit(new org.nd4j.linalg.dataset.DataSet(Nets.features(DataType.DOUBLE, 1, 6, 4),
                Nets.oneHot(DataType.DOUBLE, 1, 6, 3)));
        File file = new File(dir, "graph.zip");
        ModelSerializer.writeModel(graph, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

        assertEquals(graph.getConfiguration(), restored.getConfiguration());
        assertEquals(graph.params(), restored.params());
        assertEquals(graph.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(graph.outputSingle(Nets.features(DataType.DOUBLE, 2, 3, 4)),
                restored.outputSingle(Nets.features(DataType.DOUBLE, 2, 3, 4)));
    }
}
