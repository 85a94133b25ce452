package io.github.dl4jspectral.export;

import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.EigenvectorBlock;
import io.github.dl4jspectral.conf.SparseDenseLayer;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.export.DirectSpaceExport;
import io.github.dl4jspectral.samediff.SameDiffSpectralDenseLayer;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.constraint.NonNegativeConstraint;
import org.deeplearning4j.nn.conf.constraint.UnitNormConstraint;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.util.MaskZeroLayer;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Collapsing spectral networks into plain DL4J dense layers (docs/METHOD.md section 6). */
class ExportTest {

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (DataType type : new DataType[]{DataType.DOUBLE, DataType.FLOAT}) {
            for (SpectralPreset preset : SpectralPreset.values()) {
                for (EigenvectorBlock block : new EigenvectorBlock[]{EigenvectorBlock.dense(), EigenvectorBlock.lowRank(3),
                        EigenvectorBlock.sparse(0.4, 2), EigenvectorBlock.svd(), EigenvectorBlock.qr()}) {
                    cases.add(Arguments.of(type, preset, block));
                }
            }
        }
        return cases.build();
    }

    private static NeuralNetConfiguration.Builder global(DataType type) {
        return new NeuralNetConfiguration.Builder().seed(4).dataType(type).updater(new Adam(0.05)).l2(1e-4);
    }

    private static void trainBriefly(MultiLayerNetwork net, DataType type) {
        for (int i = 0; i < 5; i++) {
            net.fit(Nets.features(type, i, 10, 6), Nets.oneHot(type, i, 10, 3));
        }
    }

    /** Largest |a - b| / max(1, |a|) over all elements. */
    private static double relativeDifference(INDArray a, INDArray b) {
        double[] x = a.reshape(a.length()).toDoubleVector(), y = b.reshape(b.length()).toDoubleVector();
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1, Math.abs(x[i])));
        }
        return worst;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void exportedNetworkComputesTheSameAndHoldsNoLibraryClass(DataType type, SpectralPreset preset, EigenvectorBlock block) {
        MultiLayerNetwork net = new MultiLayerNetwork(global(type).list()
                .layer(new SpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH).preset(preset).eigenvectorBlock(block).dropOut(0.9).build())
                .layer(new SameDiffSpectralDenseLayer.Builder().nOut(4).activation(Activation.SIGMOID).preset(preset).eigenvectorBlock(block).build())
                .layer(new SpectralOutputLayer.Builder().nOut(3).preset(preset).eigenvectorBlock(block).build())
                .setInputType(InputType.feedForward(6)).build());
        net.init();
        trainBriefly(net, type);
        INDArray before = net.params().dup();
        INDArray x = Nets.features(type, 42, 9, 6);

        MultiLayerNetwork exported = DirectSpaceExport.toDense(net);

        assertEquals(before, net.params(), "input network untouched");
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-6;
        double difference = relativeDifference(net.output(x), exported.output(x));
        assertEquals(0, difference, tolerance, "relative difference " + difference);
        String json = exported.getLayerWiseConfigurations().toJson();
        assertFalse(json.contains("io.github.dl4jspectral"), json);
        assertInstanceOf(DenseLayer.class, exported.getLayerWiseConfigurations().getConf(0).getLayer());
        assertInstanceOf(OutputLayer.class, exported.getLayerWiseConfigurations().getConf(2).getLayer());
        assertEquals(net.getLayerWiseConfigurations().getConf(0).getLayer().getIDropout(),
                exported.getLayerWiseConfigurations().getConf(0).getLayer().getIDropout(), "dropout carried over");
    }

    @Test
    void exportedNetworkSavesAndRestores(@TempDir File dir) throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(global(DataType.DOUBLE).list()
                .layer(new SpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH).lowRank(2).build())
                .layer(new SpectralOutputLayer.Builder().nOut(3).build())
                .setInputType(InputType.feedForward(6)).build());
        net.init();
        trainBriefly(net, DataType.DOUBLE);
        MultiLayerNetwork exported = DirectSpaceExport.toDense(net);
        File file = new File(dir, "exported.zip");
        ModelSerializer.writeModel(exported, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        INDArray x = Nets.features(DataType.DOUBLE, 3, 4, 6);
        assertEquals(exported.output(x), restored.output(x));
        assertEquals(0, relativeDifference(net.output(x), restored.output(x)), 1e-12);
    }

    @Test
    void computationGraphExport() {
        ComputationGraph graph = new ComputationGraph(global(DataType.DOUBLE).graphBuilder().addInputs("in")
                .addLayer("a", new SpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH).preset(SpectralPreset.FULL).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nOut(4).activation(Activation.RELU).build(), "a")
                .addLayer("out", new SpectralOutputLayer.Builder().nOut(3).build(), "b")
                .setOutputs("out").setInputTypes(InputType.feedForward(6)).build());
        graph.init();
        ComputationGraph exported = DirectSpaceExport.toDense(graph);
        INDArray x = Nets.features(DataType.DOUBLE, 5, 7, 6);
        assertEquals(0, relativeDifference(graph.outputSingle(x), exported.outputSingle(x)), 1e-12);
        assertFalse(exported.getConfiguration().toJson().contains("io.github.dl4jspectral"));
        assertEquals(graph.getLayer("b").params(), exported.getLayer("b").params(), "other layers copied unchanged");
    }

    /** The support by its definition (docs/METHOD.md 3.2): entry (j, i) kept when draw j * nOut + i is below density. */
    private static boolean[][] support(int nIn, int nOut, double density, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean[][] kept = new boolean[nIn][nOut];
        for (int j = 0; j < nIn; j++) {
            for (int i = 0; i < nOut; i++) {
                kept[j][i] = random.nextDouble() < density;
            }
        }
        return kept;
    }

    @Test
    void sparseDenseBaselineBecomesADenseLayerWithItsZeros() {
        MultiLayerNetwork net = new MultiLayerNetwork(global(DataType.DOUBLE).list()
                .layer(new SparseDenseLayer.Builder().name("sparse").nOut(8).sparse(0.3, 7).activation(Activation.TANH)
                        .dropOut(0.9).build())
                .layer(new SpectralOutputLayer.Builder().nOut(3).build())
                .setInputType(InputType.feedForward(6)).build());
        net.init();
        trainBriefly(net, DataType.DOUBLE);
        INDArray w = net.getLayer(0).getParam("W").dup();

        MultiLayerNetwork exported = DirectSpaceExport.toDense(net);

        var layer = exported.getLayerWiseConfigurations().getConf(0).getLayer();
        assertEquals(DenseLayer.class, layer.getClass());
        assertEquals("sparse", layer.getLayerName());
        assertEquals(net.getLayerWiseConfigurations().getConf(0).getLayer().getIDropout(), layer.getIDropout());
        boolean[][] kept = support(6, 8, 0.3, 7);
        INDArray exportedW = exported.getLayer(0).getParam("W");
        int zeros = 0;
        for (int j = 0; j < 6; j++) {
            for (int i = 0; i < 8; i++) {
                assertEquals(kept[j][i] ? w.getDouble(j, i) : 0.0, exportedW.getDouble(j, i), 0.0, "W[" + j + "][" + i + "]");
                zeros += kept[j][i] ? 0 : 1;
            }
        }
        assertTrue(zeros > 0, "the support drops entries");
        assertEquals(net.getLayer(0).getParam("b"), exported.getLayer(0).getParam("b"));
        INDArray x = Nets.features(DataType.DOUBLE, 8, 5, 6);
        assertEquals(0, relativeDifference(net.output(x), exported.output(x)), 1e-12);
        assertFalse(exported.getLayerWiseConfigurations().toJson().contains("io.github.dl4jspectral"));
    }

    @Test
    void constraintsAreKeptWithTheirKeysMappedOntoWAndB() {
        MultiLayerNetwork net = new MultiLayerNetwork(global(DataType.DOUBLE).list()
                .layer(new SpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH).preset(SpectralPreset.FULL)
                        .constrainWeights(new MaxNormConstraint(0.5, 0)).constrainBias(new NonNegativeConstraint()).build())
                .layer(new SparseDenseLayer.Builder().nOut(4).sparse(0.5, 3).activation(Activation.TANH)
                        .constrainWeights(new UnitNormConstraint(0)).build())
                .layer(new SameDiffSpectralDenseLayer.Builder().nOut(4).activation(Activation.TANH).lowRank(2).hasBias(false)
                        .build())
                .layer(new SpectralOutputLayer.Builder().nOut(3).lowRank(2).hasBias(false)
                        .constrainAllParameters(new MaxNormConstraint(2.0, 0)).build())
                .setInputType(InputType.feedForward(6)).build());
        net.init();
        trainBriefly(net, DataType.DOUBLE);

        MultiLayerNetwork exported = DirectSpaceExport.toDense(net);

        List<LayerConstraint> hidden = exported.getLayerWiseConfigurations().getConf(0).getLayer().getConstraints();
        assertEquals(2, hidden.size());
        assertInstanceOf(MaxNormConstraint.class, hidden.get(0));
        assertEquals(0.5, ((MaxNormConstraint) hidden.get(0)).getMaxNorm());
        assertEquals(Set.of("W"), hidden.get(0).getParams(), "phi, lambdaIn, lambdaOut make up W");
        assertInstanceOf(NonNegativeConstraint.class, hidden.get(1));
        assertEquals(Set.of("b"), hidden.get(1).getParams());
        List<LayerConstraint> sparse = exported.getLayerWiseConfigurations().getConf(1).getLayer().getConstraints();
        assertEquals(1, sparse.size());
        assertInstanceOf(UnitNormConstraint.class, sparse.get(0));
        assertEquals(Set.of("W"), sparse.get(0).getParams());
        List<LayerConstraint> out = exported.getLayerWiseConfigurations().getConf(3).getLayer().getConstraints();
        assertEquals(1, out.size());
        assertEquals(Set.of("W"), out.get(0).getParams(), "phiU, phiV and the eigenvalues; no bias to map to");
        assertEquals(Set.of("phiU", "phiV", "lambdaIn", "lambdaOut"),
                net.getLayerWiseConfigurations().getConf(3).getLayer().getConstraints().get(0).getParams(),
                "the input network keeps its own");

        // The constraints act: after one training step the exported weights and bias obey them.
        exported.getLayer(0).setParam("b", Nd4j.valueArrayOf(new long[]{1, 5}, -1.0));
        exported.getLayer(0).setParam("W", exported.getLayer(0).getParam("W").mul(100));
        exported.fit(Nets.features(DataType.DOUBLE, 20, 10, 6), Nets.oneHot(DataType.DOUBLE, 20, 10, 3));
        assertTrue(exported.getLayer(0).getParam("b").minNumber().doubleValue() >= 0, "NonNegativeConstraint on b");
        assertTrue(exported.getLayer(0).getParam("W").norm2(0).maxNumber().doubleValue() <= 0.5 + 1e-9,
                "MaxNormConstraint on W's columns");
        Nets.assertClose(Nd4j.ones(DataType.DOUBLE, 4), exported.getLayer(1).getParam("W").norm2(0), "UnitNormConstraint");
    }

    /** The exported copy's layer {@code i}: the wrapper class, and a DenseLayer inside it. */
    private static void assertFrozenDense(Class<?> wrapper, org.deeplearning4j.nn.conf.layers.Layer layer, String name) {
        assertInstanceOf(wrapper, layer, name);
        org.deeplearning4j.nn.conf.layers.Layer inner = layer instanceof FrozenLayer f ? f.getLayer()
                : ((FrozenLayerWithBackprop) layer).getUnderlying();
        assertInstanceOf(DenseLayer.class, inner, name);
        assertEquals(name, layer.getLayerName());
    }

    /** One fit step changes {@code trained}'s parameters and leaves every other layer's as they were. */
    private static void assertOnlyTrainedLayerMoves(Map<String, org.deeplearning4j.nn.api.Layer> layers, String trained,
                                                    Runnable fitStep) {
        Map<String, INDArray> before = new HashMap<>();
        layers.forEach((name, layer) -> before.put(name, layer.params().dup()));
        fitStep.run();
        layers.forEach((name, layer) -> {
            if (name.equals(trained)) {
                assertNotEquals(before.get(name), layer.params(), name + " is trained");
            } else {
                assertEquals(before.get(name), layer.params(), name + " stays frozen");
            }
        });
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void aTransferLearningFeatureExtractorExportsAsFrozenDenseLayers(DataType type, @TempDir File dir) throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(global(type).list()
                .layer(new SpectralDenseLayer.Builder().name("spectral").nOut(5).activation(Activation.TANH).build())
                .layer(new SameDiffSpectralDenseLayer.Builder().name("samediff").nOut(4).activation(Activation.SIGMOID)
                        .preset(SpectralPreset.EIGENVALUES).build())
                .layer(new SpectralOutputLayer.Builder().name("out").nOut(3).build())
                .setInputType(InputType.feedForward(6)).build());
        net.init();
        trainBriefly(net, type);
        MultiLayerNetwork transfer = new TransferLearning.Builder(net).setFeatureExtractor(1).build();
        INDArray x = Nets.features(type, 42, 9, 6);

        MultiLayerNetwork exported = DirectSpaceExport.toDense(transfer);

        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-6;
        assertEquals(0, relativeDifference(transfer.output(x), exported.output(x)), tolerance);
        assertFrozenDense(FrozenLayer.class, exported.getLayerWiseConfigurations().getConf(0).getLayer(), "spectral");
        assertFrozenDense(FrozenLayer.class, exported.getLayerWiseConfigurations().getConf(1).getLayer(), "samediff");
        assertInstanceOf(OutputLayer.class, exported.getLayerWiseConfigurations().getConf(2).getLayer());
        assertFalse(exported.getLayerWiseConfigurations().toJson().contains("io.github.dl4jspectral"));
        assertInstanceOf(org.deeplearning4j.nn.layers.FrozenLayer.class, exported.getLayer(0));

        File file = new File(dir, "exported.zip");
        ModelSerializer.writeModel(exported, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(exported.output(x), restored.output(x), "saved and restored");
        for (MultiLayerNetwork copy : List.of(exported, restored)) {
            Map<String, org.deeplearning4j.nn.api.Layer> layers = new LinkedHashMap<>();
            for (int i = 0; i < 3; i++) {
                layers.put(copy.getLayerWiseConfigurations().getConf(i).getLayer().getLayerName(), copy.getLayer(i));
            }
            assertOnlyTrainedLayerMoves(layers, "out", () -> copy.fit(x, Nets.oneHot(type, 7, 9, 3)));
        }
    }

    @Test
    void aFrozenVertexOfAGraphExportsAsAFrozenDenseLayer() {
        ComputationGraph graph = new ComputationGraph(global(DataType.FLOAT).graphBuilder().addInputs("in")
                .addLayer("a", new SpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH).preset(SpectralPreset.FULL).build(), "in")
                .addLayer("b", new SameDiffSpectralDenseLayer.Builder().nOut(4).activation(Activation.RELU).build(), "a")
                .addLayer("out", new SpectralOutputLayer.Builder().nOut(3).build(), "b")
                .setOutputs("out").setInputTypes(InputType.feedForward(6)).build());
        graph.init();
        ComputationGraph transfer = new TransferLearning.GraphBuilder(graph).setFeatureExtractor("b").build();
        INDArray x = Nets.features(DataType.FLOAT, 5, 7, 6);

        ComputationGraph exported = DirectSpaceExport.toDense(transfer);

        assertEquals(0, relativeDifference(transfer.outputSingle(x), exported.outputSingle(x)), 1e-6);
        for (String name : List.of("a", "b")) {
            assertFrozenDense(FrozenLayer.class,
                    ((LayerVertex) exported.getConfiguration().getVertices().get(name)).getLayerConf().getLayer(), name);
        }
        assertFalse(exported.getConfiguration().toJson().contains("io.github.dl4jspectral"));
        Map<String, org.deeplearning4j.nn.api.Layer> layers = new LinkedHashMap<>();
        for (String name : List.of("a", "b", "out")) {
            layers.put(name, exported.getLayer(name));
        }
        assertOnlyTrainedLayerMoves(layers, "out", () -> exported.fit(new INDArray[]{x},
                new INDArray[]{Nets.oneHot(DataType.FLOAT, 8, 7, 3)}));
    }

    /**
     * Without l2: in DL4J M2.1 a FrozenLayerWithBackprop's parameters move under Adam with a global l2 (around a plain
     * DenseLayer too), in the original network as in the exported one.
     */
    @Test
    void aFrozenLayerWithBackpropExportsAsOne() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.FLOAT)
                .updater(new Adam(0.05)).list()
                .layer(new FrozenLayerWithBackprop(new SpectralDenseLayer.Builder().nOut(5)
                        .activation(Activation.TANH).build()))
                .layer(new OutputLayer.Builder().name("out").nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(6)).build());
        net.init();
        INDArray x = Nets.features(DataType.FLOAT, 3, 9, 6);

        MultiLayerNetwork exported = DirectSpaceExport.toDense(net);

        assertEquals(0, relativeDifference(net.output(x), exported.output(x)), 1e-6);
        String name = net.getLayerWiseConfigurations().getConf(0).getLayer().getLayerName();   // the wrapper's
        assertFrozenDense(FrozenLayerWithBackprop.class, exported.getLayerWiseConfigurations().getConf(0).getLayer(), name);
        assertOnlyTrainedLayerMoves(Map.of(name, exported.getLayer(0), "out", exported.getLayer(1)), "out",
                () -> exported.fit(x, Nets.oneHot(DataType.FLOAT, 4, 9, 3)));
    }

    @Test
    void aLibraryLayerInAnotherWrapperIsNamedInTheError() {
        MultiLayerNetwork net = new MultiLayerNetwork(global(DataType.DOUBLE).list()
                .layer(new MaskZeroLayer(new SpectralDenseLayer.Builder().name("inner").nOut(5).build(), 0.0))
                .layer(new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(6)).build());
        Nets.assertMessage(IllegalArgumentException.class, () -> DirectSpaceExport.toDense(net),
                "(index 0, MaskZeroLayer) contains io.github.dl4jspectral.conf.SpectralDenseLayer",
                "inside FrozenLayer / FrozenLayerWithBackprop");
    }
}
