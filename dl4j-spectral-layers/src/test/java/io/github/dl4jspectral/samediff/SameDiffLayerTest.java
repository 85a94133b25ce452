package io.github.dl4jspectral.samediff;

import io.github.dl4jspectral.testing.DoublePrecision;
import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.samediff.SameDiffSpectralDenseLayer;
import io.github.dl4jspectral.samediff.SameDiffSpectralDenseRuntimeLayer;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SameDiff layer inside DL4J networks: the same outputs, loss and gradients as the native layer
 * (double precision, relative difference below 1e-10), GradientCheckUtil in MultiLayerNetwork and
 * ComputationGraph, and the M2.1 gradient defect that the runtime layer corrects.
 */
@ExtendWith(DoublePrecision.class)
class SameDiffLayerTest {


    static Stream<Arguments> presetsAndBias() {
        return Stream.of(SpectralPreset.values()).flatMap(p -> Stream.of(Arguments.of(p, true), Arguments.of(p, false)));
    }

    /** [DenseLayer 4->6 tanh, spectral 6->5, OutputLayer 5->3]: the first layer's gradient checks dL/dx. */
    private static MultiLayerNetwork network(Layer spectral) {
        return network(spectral, new NoOp());
    }

    private static MultiLayerNetwork network(Layer spectral, IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(8).updater(updater).list()
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build())
                .layer(spectral)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(4)).build());
        net.init();
        return net;
    }

    private static SameDiffSpectralDenseLayer sameDiff(SpectralPreset preset, boolean hasBias, Activation act) {
        return new SameDiffSpectralDenseLayer.Builder().nOut(5).activation(act).hasBias(hasBias).preset(preset).build();
    }

    /** Copies every parameter of {@code from} into {@code to}, key by key (native 'f' and SameDiff 'c' layouts differ). */
    private static void copyParams(MultiLayerNetwork from, MultiLayerNetwork to) {
        for (Map.Entry<String, INDArray> e : from.paramTable().entrySet()) {
            to.setParam(e.getKey(), e.getValue());
        }
        assertEquals(from.paramTable(), to.paramTable());
    }

    @ParameterizedTest(name = "{0} bias={1}")
    @MethodSource("presetsAndBias")
    void sameOutputsLossAndGradientsAsTheNativeLayer(SpectralPreset preset, boolean hasBias) {
        MultiLayerNetwork nativeNet = network(new SpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH)
                .hasBias(hasBias).preset(preset).build());
        MultiLayerNetwork sameDiffNet = network(sameDiff(preset, hasBias, Activation.TANH));
        copyParams(nativeNet, sameDiffNet);
        INDArray x = Nets.features(DataType.DOUBLE, 5, 9, 4);
        INDArray y = Nets.oneHot(DataType.DOUBLE, 5, 9, 3);

        Nets.assertClose(nativeNet.output(x), sameDiffNet.output(x), "output");
        for (MultiLayerNetwork net : new MultiLayerNetwork[]{nativeNet, sameDiffNet}) {
            net.setInput(x);
            net.setLabels(y);
            net.computeGradientAndScore();
        }
        assertEquals(nativeNet.score(), sameDiffNet.score(), 1e-10 * Math.abs(nativeNet.score()), "loss");
        for (String key : nativeNet.paramTable().keySet()) {
            Nets.assertClose(nativeNet.gradient().getGradientFor(key), sameDiffNet.gradient().getGradientFor(key), key);
        }
    }

    /**
     * DL4J's fit loop (forward pass, backward pass that reuses the forward pass's x W, update, next forward pass):
     * after several steps, on two alternating batches, the SameDiff network's parameters equal the native one's. A
     * stale x W (from before an update, or from the other batch) would make them differ.
     */
    @ParameterizedTest
    @EnumSource(value = SpectralPreset.class, names = {"EIGENVALUES", "EIGENVALUES_OUT", "FULL"})
    void fitStepsMatchTheNativeLayer(SpectralPreset preset) {
        MultiLayerNetwork nativeNet = network(new SpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH)
                .preset(preset).build(), new Adam(0.05));
        MultiLayerNetwork sameDiffNet = network(sameDiff(preset, true, Activation.TANH), new Adam(0.05));
        copyParams(nativeNet, sameDiffNet);
        for (int step = 0; step < 6; step++) {
            INDArray x = Nets.features(DataType.DOUBLE, step % 2, 9, 4);
            INDArray y = Nets.oneHot(DataType.DOUBLE, step % 2, 9, 3);
            nativeNet.fit(x, y);
            sameDiffNet.fit(x, y);
        }
        for (String key : nativeNet.paramTable().keySet()) {
            Nets.assertClose(nativeNet.getParam(key), sameDiffNet.getParam(key), key + " after 6 steps");
        }
    }

    /**
     * The backward pass uses the current parameters and input: after a training forward pass, a parameter set (or a
     * new input) drops the kept x W; without a forward pass the layer computes x W itself. Each time the gradients
     * equal the native layer's for the same parameters and input.
     */
    @Test
    void backwardPassSeesParametersAndInputSetAfterTheForwardPass() {
        MultiLayerNetwork nativeNet = network(new SpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH)
                .preset(SpectralPreset.FULL).build());
        MultiLayerNetwork sameDiffNet = network(sameDiff(SpectralPreset.FULL, true, Activation.TANH));
        copyParams(nativeNet, sameDiffNet);
        nativeNet.initGradientsView();
        sameDiffNet.initGradientsView();
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = Nets.features(DataType.DOUBLE, 11, 7, 6);
        INDArray other = Nets.features(DataType.DOUBLE, 12, 7, 6);
        INDArray epsilon = Nets.features(DataType.DOUBLE, 13, 7, 5);
        var nativeLayer = nativeNet.getLayer(1);
        var sameDiffLayer = sameDiffNet.getLayer(1);

        sameDiffLayer.setInput(x, mgr);
        sameDiffLayer.activate(true, mgr);
        INDArray lambdaOut = Nets.features(DataType.DOUBLE, 14, 1, 5);
        sameDiffLayer.setParam("lambdaOut", lambdaOut);
        nativeLayer.setParam("lambdaOut", lambdaOut);
        assertSameBackward(nativeLayer, sameDiffLayer, x, epsilon, mgr, "parameter set after the forward pass");

        sameDiffLayer.setInput(x, mgr);
        sameDiffLayer.activate(true, mgr);
        sameDiffLayer.setInput(other, mgr);
        assertSameBackward(nativeLayer, sameDiffLayer, other, epsilon, mgr, "input set after the forward pass");

        sameDiffLayer.setInput(x, mgr);
        assertSameBackward(nativeLayer, sameDiffLayer, x, epsilon, mgr, "no forward pass");
    }

    private static void assertSameBackward(org.deeplearning4j.nn.api.Layer nativeLayer,
                                           org.deeplearning4j.nn.api.Layer sameDiffLayer, INDArray x, INDArray epsilon,
                                           LayerWorkspaceMgr mgr, String when) {
        var actual = sameDiffLayer.backpropGradient(epsilon.dup(), mgr);
        nativeLayer.setInput(x, mgr);
        var expected = nativeLayer.backpropGradient(epsilon.dup(), mgr);
        for (String key : expected.getFirst().gradientForVariable().keySet()) {
            Nets.assertClose(expected.getFirst().getGradientFor(key), actual.getFirst().getGradientFor(key), key + ", " + when);
        }
        Nets.assertClose(expected.getSecond(), actual.getSecond(), "dL/dx, " + when);
    }

    /**
     * A mask [minibatch, 1] multiplies the output (as in DL4J's SameDiffLayer) and the errors of the backward pass:
     * the masked layer's output and gradients equal the unmasked layer's on the masked output and errors.
     */
    @Test
    void maskMultipliesTheOutputAndTheErrors() {
        MultiLayerNetwork net = network(sameDiff(SpectralPreset.FULL, true, Activation.SIGMOID));
        net.initGradientsView();
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = Nets.features(DataType.DOUBLE, 21, 4, 6);
        INDArray epsilon = Nets.features(DataType.DOUBLE, 22, 4, 5);
        INDArray mask = Nd4j.createFromArray(new double[][]{{1}, {0}, {1}, {0}});
        var layer = net.getLayer(1);

        layer.setInput(x, mgr);
        INDArray unmasked = layer.activate(true, mgr).dup();
        var unmaskedGradients = layer.backpropGradient(epsilon.mulColumnVector(mask), mgr);
        Map<String, INDArray> expected = new java.util.HashMap<>();
        unmaskedGradients.getFirst().gradientForVariable().forEach((k, v) -> expected.put(k, v.dup()));
        INDArray expectedDx = unmaskedGradients.getSecond().dup();

        layer.setInput(x, mgr);
        layer.setMaskArray(mask);
        Nets.assertClose(unmasked.mulColumnVector(mask), layer.activate(true, mgr), "masked output");
        assertTrue(unmasked.getRow(1).sumNumber().doubleValue() > 0, "sigmoid output is not 0 where the mask is");
        var masked = layer.backpropGradient(epsilon, mgr);
        expected.forEach((k, v) -> Nets.assertClose(v, masked.getFirst().getGradientFor(k), k + " with mask"));
        Nets.assertClose(expectedDx, masked.getSecond(), "dL/dx with mask");
    }

    @Test
    void dl4jM21DoublesSameDiffGradientsAndTheRuntimeLayerCorrectsIt() {
        MultiLayerNetwork nativeNet = network(new SpectralDenseLayer.Builder().nOut(5).activation(Activation.SIGMOID)
                .preset(SpectralPreset.FULL).build());
        MultiLayerNetwork sameDiffNet = network(sameDiff(SpectralPreset.FULL, true, Activation.SIGMOID));
        copyParams(nativeNet, sameDiffNet);
        INDArray x = Nets.features(DataType.DOUBLE, 6, 7, 4);
        INDArray epsilon = Nets.features(DataType.DOUBLE, 7, 7, 5);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        nativeNet.initGradientsView();
        sameDiffNet.initGradientsView();
        INDArray hidden = nativeNet.feedForwardToLayer(0, x).get(1);

        var nativeLayer = nativeNet.getLayer(1);
        nativeLayer.setInput(hidden, mgr);
        var expected = nativeLayer.backpropGradient(epsilon, mgr);
        var sameDiffLayer = (SameDiffSpectralDenseRuntimeLayer) sameDiffNet.getLayer(1);
        sameDiffLayer.setInput(hidden, mgr);
        INDArray rawLambdaIn = sameDiffLayer.uncorrectedBackpropGradient(epsilon, mgr).getFirst()
                .getGradientFor("lambdaIn").dup();
        var corrected = sameDiffLayer.backpropGradient(epsilon, mgr);

        double factor = 1 / SameDiffSpectralDenseRuntimeLayer.GRADIENT_CORRECTION;
        Nets.assertClose(expected.getFirst().getGradientFor("lambdaIn").mul(factor), rawLambdaIn,
                "DL4J M2.1's own SameDiff gradient is exactly " + factor + "x the true one; if this fails the defect "
                        + "is fixed upstream and GRADIENT_CORRECTION must become 1");
        Nets.assertClose(expected.getFirst().getGradientFor("lambdaIn"), corrected.getFirst().getGradientFor("lambdaIn"), "lambdaIn");
        Nets.assertClose(expected.getSecond(), corrected.getSecond(), "dL/dx");
    }

    /** [spectral "h" 4->3, OutputLayer 3->2] with nIn given, so that the network has no input type to check against. */
    private static MultiLayerNetwork namedNetwork(Layer spectral) {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(3).updater(new NoOp()).list().layer(spectral)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build()).build());
        net.init();
        return net;
    }

    /** The part of a message between the layer's description and DL4J's layer id: what was wrong, what was expected. */
    private static String problem(Exception e) {
        String message = e.getMessage();
        return message.substring(message.indexOf(": input has shape"), message.indexOf(" (layer name"));
    }

    @Test
    void inputOfWrongWidthOrRankGetsTheNativeLayersMessageBeforeTheGraphRuns() {
        MultiLayerNetwork nativeNet = namedNetwork(new SpectralDenseLayer.Builder().name("h").nIn(4).nOut(3)
                .activation(Activation.TANH).build());
        MultiLayerNetwork sameDiffNet = namedNetwork(new SameDiffSpectralDenseLayer.Builder().name("h").nIn(4).nOut(3)
                .activation(Activation.TANH).build());
        INDArray before = sameDiffNet.params().dup();
        INDArray wide = Nets.features(DataType.DOUBLE, 1, 2, 5);
        INDArray vector = Nets.features(DataType.DOUBLE, 1, 1, 4).reshape(4);
        INDArray labels = Nets.oneHot(DataType.DOUBLE, 1, 2, 2);

        for (INDArray bad : new INDArray[]{wide, vector}) {
            var expected = assertThrows(DL4JInvalidInputException.class, () -> nativeNet.output(bad));
            var actual = assertThrows(DL4JInvalidInputException.class, () -> sameDiffNet.output(bad));
            assertEquals(problem(expected), problem(actual), "same problem, same words");
            assertTrue(actual.getMessage().startsWith("SameDiffSpectralDenseLayer \"h\": input has shape "
                    + Arrays.toString(bad.shape()) + "; expected [minibatch, nIn] = [minibatch, 4]"), actual.getMessage());
            assertTrue(actual.getMessage().contains("layer index: 0"), actual.getMessage());
        }
        Nets.assertMessage(DL4JInvalidInputException.class, () -> sameDiffNet.fit(wide, labels),
                "SameDiffSpectralDenseLayer \"h\"", "input has shape [2, 5]", "[minibatch, 4]");
        assertEquals(before, sameDiffNet.params(), "nothing trained on a rejected input");
    }

    static Stream<Arguments> gradientCheckCases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (SpectralPreset preset : SpectralPreset.values()) {
            for (boolean middle : new boolean[]{false, true}) {
                cases.add(Arguments.of(preset, middle, middle ? Activation.SIGMOID : Activation.TANH));
            }
        }
        return cases.build();
    }

    private static Layer[] gradientCheckLayers(SpectralPreset preset, boolean middle, Activation act) {
        Layer out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build();
        return middle
                ? new Layer[]{new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build(), sameDiff(preset, true, act), out}
                : new Layer[]{sameDiff(preset, true, act), out};
    }

    @ParameterizedTest(name = "MLN {0} middle={1}")
    @MethodSource("gradientCheckCases")
    void gradientCheckInMultiLayerNetwork(SpectralPreset preset, boolean middle, Activation act) {
        NeuralNetConfiguration.ListBuilder list = Nets.doubles(9).updater(new NoOp()).list();
        for (Layer l : gradientCheckLayers(preset, middle, act)) {
            list.layer(l);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.setInputType(InputType.feedForward(4)).build());
        net.init();
        Set<String> frozen = Nets.frozenKeys(net);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(Nets.features(DataType.DOUBLE, 1, 6, 4)).labels(Nets.oneHot(DataType.DOUBLE, 1, 6, 3))
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).excludeParams(frozen).exitOnFirstError(true)));
    }

    @ParameterizedTest(name = "CG {0} middle={1}")
    @MethodSource("gradientCheckCases")
    void gradientCheckInComputationGraph(SpectralPreset preset, boolean middle, Activation act) {
        ComputationGraphConfiguration.GraphBuilder graph = Nets.doubles(10).updater(new NoOp()).graphBuilder().addInputs("in");
        String previous = "in";
        Layer[] layers = gradientCheckLayers(preset, middle, act);
        for (int i = 0; i < layers.length; i++) {
            graph.addLayer("l" + i, layers[i], previous);
            previous = "l" + i;
        }
        ComputationGraph net = new ComputationGraph(graph.setOutputs(previous).setInputTypes(InputType.feedForward(4)).build());
        net.init();
        Set<String> frozen = Nets.frozenKeys(net);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[]{Nets.features(DataType.DOUBLE, 2, 6, 4)})
                .labels(new INDArray[]{Nets.oneHot(DataType.DOUBLE, 2, 6, 3)})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).excludeParams(frozen).exitOnFirstError(true)));
    }
}
