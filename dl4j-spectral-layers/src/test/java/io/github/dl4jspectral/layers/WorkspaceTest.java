package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Training and inference give the same results with DL4J workspaces ENABLED and NONE, in float and
 * double. With ENABLED, DL4J validates where every activation and gradient array lives and throws
 * on a misplaced one, so running at all is part of the test.
 */
class WorkspaceTest {

    private static NeuralNetConfiguration.Builder global(DataType type, WorkspaceMode mode) {
        return new NeuralNetConfiguration.Builder().seed(42).dataType(type).updater(new Adam(0.02))
                .trainingWorkspaceMode(mode).inferenceWorkspaceMode(mode);
    }

    private static SpectralDenseLayer.Builder hidden(SpectralPreset preset, Activation act) {
        return new SpectralDenseLayer.Builder().nOut(8).activation(act).preset(preset);
    }

    private static List<DataSet> batches(DataType type) {
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batches.add(new DataSet(Nets.features(type, i, 10, 6), Nets.oneHot(type, i, 10, 3)));
        }
        return batches;
    }

    private static MultiLayerNetwork trainedNetwork(DataType type, WorkspaceMode mode) {
        MultiLayerNetwork net = new MultiLayerNetwork(global(type, mode).list()
                .layer(hidden(SpectralPreset.EIGENVALUES, Activation.TANH).build())
                .layer(hidden(SpectralPreset.FULL, Activation.RELU).build())
                .layer(new SpectralOutputLayer.Builder().nOut(3).preset(SpectralPreset.EIGENVECTORS).build())
                .setInputType(InputType.feedForward(6)).build());
        net.init();
        net.fit(new ListDataSetIterator<>(batches(type), 10), 3);
        return net;
    }

    private static ComputationGraph trainedGraph(DataType type, WorkspaceMode mode) {
        ComputationGraph graph = new ComputationGraph(global(type, mode).graphBuilder().addInputs("in")
                .addLayer("a", hidden(SpectralPreset.EIGENVALUES, Activation.TANH).build(), "in")
                .addLayer("b", hidden(SpectralPreset.EIGENVALUES_OUT, Activation.SIGMOID).build(), "in")
                .addLayer("out", new SpectralOutputLayer.Builder().nOut(3).preset(SpectralPreset.FULL).build(), "a", "b")
                .setOutputs("out").setInputTypes(InputType.feedForward(6)).build());
        graph.init();
        graph.fit(new ListDataSetIterator<>(batches(type), 10), 3);
        return graph;
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void multiLayerNetworkSameWithAndWithoutWorkspaces(DataType type) {
        MultiLayerNetwork enabled = trainedNetwork(type, WorkspaceMode.ENABLED);
        MultiLayerNetwork none = trainedNetwork(type, WorkspaceMode.NONE);
        INDArray x = Nets.features(type, 99, 5, 6);

        assertEquals(none.params(), enabled.params());
        assertEquals(none.output(x), enabled.output(x));
        assertEquals(none.score(), enabled.score(), 0.0);
        assertFalse(Nd4j.getWorkspaceManager().anyWorkspaceActiveForCurrentThread(), "workspace left open");
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void computationGraphSameWithAndWithoutWorkspaces(DataType type) {
        ComputationGraph enabled = trainedGraph(type, WorkspaceMode.ENABLED);
        ComputationGraph none = trainedGraph(type, WorkspaceMode.NONE);
        INDArray x = Nets.features(type, 99, 5, 6);

        assertEquals(none.params(), enabled.params());
        assertEquals(none.outputSingle(x), enabled.outputSingle(x));
        assertFalse(Nd4j.getWorkspaceManager().anyWorkspaceActiveForCurrentThread(), "workspace left open");
    }
}
