package io.github.dl4jspectral.spectralize;

import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.export.DirectSpaceExport;
import io.github.dl4jspectral.testing.Nets;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spectralizing trained plain networks: same outputs, eigenvalues trainable, report of what was kept. */
class SpectralizeTest {

    private static final int IN = 6;
    private static final int HIDDEN = 5;
    private static final int CLASSES = 3;
    private static final int ROWS = 20;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            for (boolean bias : new boolean[]{true, false}) {
                for (Activation activation : new Activation[]{Activation.TANH, Activation.RELU, Activation.SIGMOID,
                        Activation.IDENTITY}) {
                    cases.add(Arguments.of(type, bias, activation));
                }
            }
        }
        return cases.build();
    }

    /** The largest deviation an equal output may have: 1e-6 in float, 1e-12 in double. */
    private static double tolerance(DataType type) {
        return type == DataType.FLOAT ? 1e-6 : 1e-12;
    }

    private static void assertSameOutputs(INDArray expected, INDArray actual, DataType type, String what) {
        assertEquals(type, actual.dataType(), what + ": data type");
        assertTrue(expected.equalShapes(actual), what + ": shape");
        double deviation = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(deviation <= tolerance(type), what + ": largest deviation " + deviation);
    }

    /** A plain 6-5-5-3 network trained a few Adam steps, so that every weight and bias is a trained value. */
    static MultiLayerNetwork trainedPlain(DataType type, boolean bias, Activation activation) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(type).updater(new Adam(0.05))
                .list()
                .layer(new DenseLayer.Builder().nIn(IN).nOut(HIDDEN).hasBias(bias).activation(activation).build())
                .layer(new DenseLayer.Builder().nOut(HIDDEN).hasBias(bias).activation(activation).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES).hasBias(bias)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(IN))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        train(net, type, 5);
        return net;
    }

    private static void train(MultiLayerNetwork net, DataType type, int steps) {
        for (int i = 0; i < steps; i++) {
            net.fit(Nets.features(type, 1, ROWS, IN), Nets.oneHot(type, 2, ROWS, CLASSES));
        }
    }

    @ParameterizedTest(name = "{0} bias={1} {2}")
    @MethodSource("cases")
    void multiLayerNetworkComputesTheSameOutputsWithPhiEqualToW(DataType type, boolean bias, Activation activation) {
        MultiLayerNetwork plain = trainedPlain(type, bias, activation);
        Map<String, INDArray> before = Nets.snapshot(plain.paramTable());
        INDArray x = Nets.features(type, 3, ROWS, IN);

        Spectralized<MultiLayerNetwork> s = Spectralize.of(plain);
        MultiLayerNetwork spectral = s.network();

        assertSameOutputs(plain.output(x), spectral.output(x), type, "network output");
        List<INDArray> plainActivations = plain.feedForward(x, false);
        List<INDArray> spectralActivations = spectral.feedForward(x, false);
        for (int i = 1; i < plainActivations.size(); i++) {
            assertSameOutputs(plainActivations.get(i), spectralActivations.get(i), type, "activations of layer " + (i - 1));
        }
        assertEquals(List.of("layer0", "layer1", "layer2"), s.converted().stream().map(Spectralized.Converted::layer).toList());
        assertTrue(s.kept().isEmpty(), s.report());
        for (int i = 0; i < 3; i++) {
            Map<String, INDArray> p = spectral.getLayer(i).paramTable();
            assertEquals(before.get(i + "_W"), p.get("phi"), "phi of layer " + i + " is W");
            assertEquals(Nd4j.zeros(type, 1, p.get("phi").rows()), p.get("lambdaIn"), "lambdaIn of layer " + i);
            assertEquals(Nd4j.zeros(type, 1, p.get("phi").columns()).subi(1), p.get("lambdaOut"), "lambdaOut of layer " + i);
            assertEquals(bias, p.containsKey("b"), "bias of layer " + i);
            if (bias) {
                assertEquals(before.get(i + "_b").reshape(1, -1), p.get("b"), "b of layer " + i);
            }
        }
        assertEquals(before, plain.paramTable(), "the input network is untouched");
        assertInstanceOf(SpectralDenseLayer.class, spectral.getLayer(0).conf().getLayer());
        assertInstanceOf(SpectralOutputLayer.class, spectral.getLayer(2).conf().getLayer());
        long eigenvalues = (IN + HIDDEN) + (HIDDEN + HIDDEN) + (HIDDEN + CLASSES);
        long biases = bias ? HIDDEN + HIDDEN + CLASSES : 0;
        assertEquals(eigenvalues + biases, ParameterCounts.of(spectral).trainable(), "preset EIGENVALUES trains the "
                + "eigenvalues and the bias only");
    }

    @ParameterizedTest(name = "{0} bias={1} {2}")
    @MethodSource("cases")
    void exportingBackToPlainLayersGivesTheOriginalParametersAndOutputs(DataType type, boolean bias,
                                                                        Activation activation) {
        MultiLayerNetwork plain = trainedPlain(type, bias, activation);
        INDArray x = Nets.features(type, 3, ROWS, IN);

        MultiLayerNetwork back = DirectSpaceExport.toDense(Spectralize.of(plain).network());

        assertEquals(plain.paramTable(), back.paramTable(), "parameters after the round trip");
        assertEquals(plain.output(x), back.output(x), "outputs after the round trip");
        for (int i = 0; i < 3; i++) {
            assertEquals(plain.getLayer(i).conf().getLayer(), back.getLayer(i).conf().getLayer(),
                    "configuration of layer " + i + " after the round trip");
        }
    }

    @Test
    void eigenvaluePresetTrainsTheEigenvaluesAndKeepsPhiBitIdentical() {
        MultiLayerNetwork spectral = Spectralize.of(trainedPlain(DataType.DOUBLE, true, Activation.TANH)).network();
        Map<String, INDArray> before = Nets.snapshot(spectral.paramTable());

        train(spectral, DataType.DOUBLE, 3);

        for (int i = 0; i < 3; i++) {
            assertEquals(before.get(i + "_phi"), spectral.getParam(i + "_phi"), "phi of layer " + i + " frozen");
            assertNotEquals(before.get(i + "_lambdaIn"), spectral.getParam(i + "_lambdaIn"), "lambdaIn of layer " + i);
            assertNotEquals(before.get(i + "_lambdaOut"), spectral.getParam(i + "_lambdaOut"), "lambdaOut of layer " + i);
            assertNotEquals(before.get(i + "_b"), spectral.getParam(i + "_b"), "b of layer " + i);
        }
    }

    @Test
    void anyPresetOnRequestWithTheSameOutputs() {
        MultiLayerNetwork plain = trainedPlain(DataType.DOUBLE, true, Activation.TANH);
        INDArray x = Nets.features(DataType.DOUBLE, 3, ROWS, IN);
        for (SpectralPreset preset : SpectralPreset.values()) {
            Spectralized<MultiLayerNetwork> s = Spectralize.of(plain, SpectralizeOptions.DEFAULT.withPreset(preset));
            MultiLayerNetwork spectral = s.network();
            assertSameOutputs(plain.output(x), spectral.output(x), DataType.DOUBLE, preset.name());
            SpectralDenseLayer hidden = (SpectralDenseLayer) spectral.getLayer(0).conf().getLayer();
            assertEquals(preset, hidden.getSpectral().getPreset(), "preset of the converted layers");
            assertTrue(s.converted().get(0).to().contains(preset.name()), s.report());
            Map<String, INDArray> before = Nets.snapshot(spectral.paramTable());
            train(spectral, DataType.DOUBLE, 2);
            assertEquals(preset.trains(SpectralParam.PHI), !before.get("0_phi").equals(spectral.getParam("0_phi")),
                    preset + ": phi trained exactly when the preset trains it");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dataTypes")
    void columnNormStartPutsEachIncomingWeightNormIntoItsEigenvalue(DataType type) {
        MultiLayerNetwork plain = trainedPlain(type, true, Activation.TANH);
        plain.getLayer(1).getParam("W").getColumn(2).assign(0);   // a node without incoming weights
        INDArray x = Nets.features(type, 3, ROWS, IN);

        MultiLayerNetwork spectral = Spectralize.of(plain,
                SpectralizeOptions.DEFAULT.withStart(SpectralizeOptions.Start.COLUMN_NORMS)).network();

        assertSameOutputs(plain.output(x), spectral.output(x), type, "network output");
        for (int i = 0; i < 3; i++) {
            double[][] w = plain.getLayer(i).getParam("W").castTo(DataType.DOUBLE).toDoubleMatrix();
            double[] lambdaOut = spectral.getLayer(i).getParam("lambdaOut").castTo(DataType.DOUBLE).toDoubleVector();
            double[][] phi = spectral.getLayer(i).getParam("phi").castTo(DataType.DOUBLE).toDoubleMatrix();
            for (int c = 0; c < lambdaOut.length; c++) {
                double norm = 0;
                for (double[] row : w) {
                    norm += row[c] * row[c];
                }
                norm = Math.sqrt(norm);
                assertEquals(norm == 0 ? -1 : -norm, lambdaOut[c], 1e-6 * Math.max(norm, 1), "lambdaOut[" + c + "] of layer " + i);
                for (int r = 0; r < w.length; r++) {
                    assertEquals(norm == 0 ? 0 : w[r][c] / norm, phi[r][c], 1e-6, "phi[" + r + "][" + c + "] of layer " + i);
                }
            }
        }
        assertEquals(0.0, spectral.getLayer(1).getParam("lambdaIn").sumNumber().doubleValue(), "lambdaIn = 0");
    }

    static Stream<DataType> dataTypes() {
        return Stream.of(DataType.FLOAT, DataType.DOUBLE);
    }

    @Test
    void settingsOfTheDenseLayersCarryOverAndWhatActsDifferentlyIsNoted() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).l2(1e-3)
                .list()
                .layer(new DenseLayer.Builder().nIn(IN).nOut(HIDDEN).activation(Activation.ELU).dropOut(0.8)
                        .biasUpdater(new Adam(0.01)).constrainWeights(new MaxNormConstraint(2, 1))
                        .constrainBias(new MaxNormConstraint(3, 1)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(CLASSES)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(IN))
                .build();
        MultiLayerNetwork plain = new MultiLayerNetwork(conf);
        plain.init();

        Spectralized<MultiLayerNetwork> s = Spectralize.of(plain);

        SpectralDenseLayer hidden = (SpectralDenseLayer) s.network().getLayer(0).conf().getLayer();
        DenseLayer original = (DenseLayer) plain.getLayer(0).conf().getLayer();
        assertEquals(original.getActivationFn(), hidden.getActivationFn());
        assertEquals(new Sgd(0.1), hidden.getIUpdater());
        assertEquals(new Adam(0.01), hidden.getBiasUpdater());
        assertEquals(new Dropout(0.8), hidden.getIDropout());
        assertEquals(original.getRegularization(), hidden.getRegularization());
        assertEquals(1, hidden.getConstraints().size(), "only the bias constraint is kept");
        assertEquals(java.util.Set.of("b"), hidden.getConstraints().get(0).getParams());
        List<String> notes = s.converted().get(0).notes();
        assertTrue(notes.stream().anyMatch(n -> n.contains("on W dropped")), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.contains("regularization")), notes.toString());
        SpectralOutputLayer head = (SpectralOutputLayer) s.network().getLayer(1).conf().getLayer();
        assertEquals(((OutputLayer) plain.getLayer(1).conf().getLayer()).getLossFn(), head.getLossFn());
    }

    @Test
    void aLayerThatIsNoDenseMapIsKeptAndReported() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE)
                .updater(new Adam(0.01))
                .list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(2).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(HIDDEN).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(3, 3, 1))
                .build();
        MultiLayerNetwork plain = new MultiLayerNetwork(conf);
        plain.init();
        plain.fit(Nets.features(DataType.DOUBLE, 1, ROWS, 9), Nets.oneHot(DataType.DOUBLE, 2, ROWS, CLASSES));
        INDArray x = Nets.features(DataType.DOUBLE, 3, ROWS, 9);

        Spectralized<MultiLayerNetwork> s = Spectralize.of(plain);

        assertSameOutputs(plain.output(x), s.network().output(x), DataType.DOUBLE, "output");
        assertEquals(1, s.kept().size(), s.report());
        assertEquals("layer0", s.kept().get(0).layer());
        assertEquals("ConvolutionLayer", s.kept().get(0).kind());
        assertTrue(s.kept().get(0).reason().contains("not a dense map"), s.kept().get(0).reason());
        assertInstanceOf(ConvolutionLayer.class, s.network().getLayer(0).conf().getLayer());
        assertEquals(plain.getLayer(0).params(), s.network().getLayer(0).params(), "kept layer's parameters");
        assertEquals(2, s.converted().size());
        assertTrue(s.report().contains("kept \"layer0\" (ConvolutionLayer)"), s.report());
    }

    @Test
    void aFrozenInputLayerIsKeptAndTheRestConverted() {
        MultiLayerNetwork plain = trainedPlain(DataType.DOUBLE, true, Activation.TANH);
        MultiLayerNetwork partlyFrozen = new TransferLearning.Builder(plain).setFeatureExtractor(0).build();
        INDArray x = Nets.features(DataType.DOUBLE, 3, ROWS, IN);

        Spectralized<MultiLayerNetwork> s = Spectralize.of(partlyFrozen);

        assertSameOutputs(partlyFrozen.output(x), s.network().output(x), DataType.DOUBLE, "output");
        assertEquals(List.of("layer0"), s.kept().stream().map(Spectralized.Kept::layer).toList(), s.report());
        assertEquals("FrozenLayer(DenseLayer)", s.kept().get(0).kind());
        assertTrue(s.kept().get(0).reason().contains("wrapper"), s.kept().get(0).reason());
        assertInstanceOf(FrozenLayer.class, s.network().getLayerWiseConfigurations().getConf(0).getLayer());
        assertInstanceOf(org.deeplearning4j.nn.layers.FrozenLayer.class, s.network().getLayer(0));
        assertEquals(partlyFrozen.getLayer(0).params(), s.network().getLayer(0).params(), "kept layer's parameters");
        assertEquals(List.of("layer1", "layer2"), s.converted().stream().map(Spectralized.Converted::layer).toList());
    }

    @Test
    void spectralizingASpectralNetworkKeepsEveryLayer() {
        MultiLayerNetwork once = Spectralize.of(trainedPlain(DataType.DOUBLE, true, Activation.TANH)).network();
        INDArray x = Nets.features(DataType.DOUBLE, 3, ROWS, IN);

        Spectralized<MultiLayerNetwork> twice = Spectralize.of(once);

        assertTrue(twice.converted().isEmpty(), twice.report());
        assertEquals(3, twice.kept().size());
        assertTrue(twice.kept().stream().allMatch(k -> k.reason().equals("already a spectral layer")), twice.report());
        assertEquals(once.params(), twice.network().params(), "parameters copied");
        assertEquals(once.output(x), twice.network().output(x));
    }

    @Test
    void onlyTheSelectedLayersAreConverted() {
        MultiLayerNetwork plain = trainedPlain(DataType.DOUBLE, true, Activation.TANH);
        Spectralized<MultiLayerNetwork> s = Spectralize.of(plain, SpectralizeOptions.DEFAULT.onlyLayers("layer0", "layer1"));
        assertEquals(List.of("layer0", "layer1"), s.converted().stream().map(Spectralized.Converted::layer).toList());
        assertEquals(List.of("layer2"), s.kept().stream().map(Spectralized.Kept::layer).toList());
        assertInstanceOf(OutputLayer.class, s.network().getLayer(2).conf().getLayer());

        Nets.assertMessage(IllegalArgumentException.class,
                () -> Spectralize.of(plain, SpectralizeOptions.DEFAULT.onlyLayers("layer0", "head")),
                "Spectralize", "[head]", "not in the network", "[layer0, layer1, layer2]");
    }

    @Test
    void selectingALayerThatCannotBeConvertedIsAnError() {
        MultiLayerNetwork frozen = new TransferLearning.Builder(trainedPlain(DataType.DOUBLE, true, Activation.TANH))
                .setFeatureExtractor(0).build();
        Nets.assertMessage(IllegalArgumentException.class,
                () -> Spectralize.of(frozen, SpectralizeOptions.DEFAULT.onlyLayers("layer0")),
                "Spectralize: layer \"layer0\" (FrozenLayer(DenseLayer))", "cannot be converted", "expected a DenseLayer");
    }

    @Test
    void aNetworkWithoutParametersIsRejectedClearly() {
        MultiLayerConfiguration conf = trainedPlain(DataType.DOUBLE, true, Activation.TANH).getLayerWiseConfigurations();
        Nets.assertMessage(IllegalStateException.class, () -> Spectralize.of(new MultiLayerNetwork(conf)),
                "Spectralize: the MultiLayerNetwork is not initialized", "expected a trained network");
        Nets.assertMessage(IllegalStateException.class, () -> Spectralize.of(new ComputationGraph(graphConf(DataType.DOUBLE, true))),
                "Spectralize: the ComputationGraph is not initialized", "expected a trained graph");
    }

    @Test
    void transferLearningFreezesAFeatureExtractorAndReplacesTheHead() {
        MultiLayerNetwork spectral = Spectralize.of(trainedPlain(DataType.DOUBLE, true, Activation.TANH),
                SpectralizeOptions.DEFAULT.onlyLayers("layer0", "layer1")).network();
        MultiLayerNetwork transferred = new TransferLearning.Builder(spectral)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(0.05)).build())
                .setFeatureExtractor(0)
                .nOutReplace(2, 4, WeightInit.XAVIER)
                .build();
        Map<String, INDArray> before = Nets.snapshot(transferred.paramTable());

        transferred.fit(Nets.features(DataType.DOUBLE, 1, ROWS, IN), Nets.oneHot(DataType.DOUBLE, 2, ROWS, 4));

        assertEquals(4, transferred.output(Nets.features(DataType.DOUBLE, 3, ROWS, IN)).columns());
        for (String key : List.of("0_phi", "0_lambdaIn", "0_lambdaOut", "0_b", "1_phi")) {
            assertEquals(before.get(key), transferred.getParam(key), key + " frozen");
        }
        for (String key : List.of("1_lambdaIn", "1_lambdaOut", "1_b", "2_W", "2_b")) {
            assertNotEquals(before.get(key), transferred.getParam(key), key + " trained");
        }
        long expected = (HIDDEN + 2 * HIDDEN) + (HIDDEN * 4 + 4);
        assertEquals(expected, ParameterCounts.of(transferred).trainable(), "eigenvalues and bias of layer 1, new head");
    }

    @Test
    void transferLearningReplacesASpectralHead() {
        MultiLayerNetwork spectral = Spectralize.of(trainedPlain(DataType.DOUBLE, true, Activation.TANH)).network();
        MultiLayerNetwork transferred = new TransferLearning.Builder(spectral).nOutReplace(2, 4, WeightInit.XAVIER).build();
        SpectralOutputLayer head = (SpectralOutputLayer) transferred.getLayer(2).conf().getLayer();
        assertEquals(4, head.getNOut());
        assertEquals(HIDDEN * 4, transferred.getParam("2_phi").length());
        transferred.fit(Nets.features(DataType.DOUBLE, 1, ROWS, IN), Nets.oneHot(DataType.DOUBLE, 2, ROWS, 4));
        assertEquals(4, transferred.output(Nets.features(DataType.DOUBLE, 3, ROWS, IN)).columns());
    }

    static org.deeplearning4j.nn.conf.ComputationGraphConfiguration graphConf(DataType type, boolean bias) {
        return new NeuralNetConfiguration.Builder().seed(11).dataType(type).updater(new Adam(0.05))
                .graphBuilder()
                .addInputs("in")
                .addLayer("left", new DenseLayer.Builder().nIn(IN).nOut(HIDDEN).hasBias(bias)
                        .activation(Activation.TANH).build(), "in")
                .addLayer("right", new DenseLayer.Builder().nIn(IN).nOut(HIDDEN).hasBias(bias)
                        .activation(Activation.RELU).build(), "in")
                .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "left", "right")
                .addLayer("head", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(HIDDEN).nOut(CLASSES)
                        .hasBias(bias).activation(Activation.SOFTMAX).build(), "sum")
                .setOutputs("head")
                .build();
    }

    static Stream<Arguments> graphCases() {
        return Stream.of(Arguments.of(DataType.FLOAT, true), Arguments.of(DataType.FLOAT, false),
                Arguments.of(DataType.DOUBLE, true), Arguments.of(DataType.DOUBLE, false));
    }

    @ParameterizedTest(name = "{0} bias={1}")
    @MethodSource("graphCases")
    void computationGraphComputesTheSameOutputsAndExportsBackExactly(DataType type, boolean bias) {
        ComputationGraph plain = new ComputationGraph(graphConf(type, bias));
        plain.init();
        for (int i = 0; i < 5; i++) {
            plain.fit(new org.nd4j.linalg.dataset.DataSet(Nets.features(type, 1, ROWS, IN), Nets.oneHot(type, 2, ROWS, CLASSES)));
        }
        INDArray x = Nets.features(type, 3, ROWS, IN);

        Spectralized<ComputationGraph> s = Spectralize.of(plain);

        assertSameOutputs(plain.outputSingle(x), s.network().outputSingle(x), type, "graph output");
        assertEquals(java.util.Set.of("left", "right", "head"),
                s.converted().stream().map(Spectralized.Converted::layer).collect(java.util.stream.Collectors.toSet()));
        assertInstanceOf(SpectralOutputLayer.class, s.network().getLayer("head").conf().getLayer());
        assertEquals(plain.getParam("left_W"), s.network().getParam("left_phi"));
        ComputationGraph back = DirectSpaceExport.toDense(s.network());
        assertEquals(plain.paramTable(), back.paramTable(), "parameters after the round trip");
        assertEquals(plain.outputSingle(x), back.outputSingle(x), "outputs after the round trip");

        Map<String, INDArray> before = Nets.snapshot(s.network().paramTable());
        s.network().fit(new org.nd4j.linalg.dataset.DataSet(Nets.features(type, 1, ROWS, IN), Nets.oneHot(type, 2, ROWS, CLASSES)));
        assertEquals(before.get("right_phi"), s.network().getParam("right_phi"), "phi frozen");
        assertNotEquals(before.get("right_lambdaOut"), s.network().getParam("right_lambdaOut"), "lambdaOut trained");
    }
}
