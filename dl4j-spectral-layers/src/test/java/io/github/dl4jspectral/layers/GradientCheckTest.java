package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.testing.DoublePrecision;
import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's GradientCheckUtil (central differences in double precision) against the hand-written
 * backward pass, for every preset, with and without bias, for identity, tanh and sigmoid, with the
 * spectral layer first or in the middle (then followed by a SpectralOutputLayer), in a
 * MultiLayerNetwork and a ComputationGraph. Frozen groups are excluded here (their gradient is zero
 * by design) and shown to stay unchanged in {@link FrozenGroupsTest}.
 */
@ExtendWith(DoublePrecision.class)
class GradientCheckTest {


    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (SpectralPreset preset : SpectralPreset.values()) {
            for (boolean hasBias : new boolean[]{true, false}) {
                for (Activation act : new Activation[]{Activation.IDENTITY, Activation.TANH, Activation.SIGMOID}) {
                    for (boolean middle : new boolean[]{false, true}) {
                        cases.add(Arguments.of(preset, hasBias, act, middle));
                    }
                }
            }
        }
        return cases.build();
    }

    /** Layers: [spectral, OutputLayer] or [DenseLayer, spectral, SpectralOutputLayer]; input width 4, 3 classes. */
    private static List<Layer> layers(SpectralPreset preset, boolean hasBias, Activation act, boolean middle) {
        Layer spectral = new SpectralDenseLayer.Builder().nOut(5).activation(act).hasBias(hasBias).preset(preset).build();
        if (!middle) {
            return List.of(spectral,
                    new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build());
        }
        return List.of(new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build(), spectral,
                new SpectralOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .hasBias(hasBias).preset(preset).build());
    }

    private static NeuralNetConfiguration.Builder global() {
        return Nets.doubles(12345).updater(new NoOp());
    }

    @ParameterizedTest(name = "MLN {0} bias={1} {2} middle={3}")
    @MethodSource("cases")
    void multiLayerNetwork(SpectralPreset preset, boolean hasBias, Activation act, boolean middle) {
        NeuralNetConfiguration.ListBuilder list = global().list();
        layers(preset, hasBias, act, middle).forEach(list::layer);
        MultiLayerConfiguration conf = list.setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nets.features(DataType.DOUBLE, 1, 7, 4);
        INDArray y = Nets.oneHot(DataType.DOUBLE, 2, 7, 3);
        Set<String> frozen = Nets.frozenKeys(net);

        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).excludeParams(frozen).exitOnFirstError(true));

        assertTrue(ok, "gradient check failed; excluded frozen " + frozen);
    }

    @ParameterizedTest(name = "CG {0} bias={1} {2} middle={3}")
    @MethodSource("cases")
    void computationGraph(SpectralPreset preset, boolean hasBias, Activation act, boolean middle) {
        ComputationGraphConfiguration.GraphBuilder graph = global().graphBuilder().addInputs("in");
        String previous = "in";
        List<Layer> layers = layers(preset, hasBias, act, middle);
        for (int i = 0; i < layers.size(); i++) {
            String name = "l" + i;
            graph.addLayer(name, layers.get(i), previous);
            previous = name;
        }
        ComputationGraph net = new ComputationGraph(graph.setOutputs(previous)
                .setInputTypes(InputType.feedForward(4)).build());
        net.init();
        INDArray x = Nets.features(DataType.DOUBLE, 3, 7, 4);
        INDArray y = Nets.oneHot(DataType.DOUBLE, 4, 7, 3);
        Set<String> frozen = Nets.frozenKeys(net);

        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[]{x}).labels(new INDArray[]{y})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).excludeParams(frozen).exitOnFirstError(true));

        assertTrue(ok, "gradient check failed; excluded frozen " + frozen);
    }
}
