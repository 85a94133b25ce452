package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.conf.SpectralPreset;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.MemoryType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.L2Regularization;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frozen groups get no update of any kind, keep no updater state, and their gradient is zero. */
class FrozenGroupsTest {

    private static MultiLayerNetwork network(SpectralDenseLayer.Builder hidden, SpectralOutputLayer.Builder output,
                                             int nIn) {
        MultiLayerConfiguration conf = Nets.doubles(7).updater(new Adam(0.05)).l2(0.1).biasUpdater(new Adam(0.05))
                .constrainAllParameters(new MaxNormConstraint(0.5, 1))
                .list()
                .layer(hidden.activation(Activation.TANH).build())
                .layer(output.build())
                .setInputType(InputType.feedForward(nIn)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @ParameterizedTest
    @EnumSource(SpectralPreset.class)
    void frozenGroupsStayBitIdenticalWithAdamL2AndConstraints(SpectralPreset preset) {
        MultiLayerNetwork net = network(new SpectralDenseLayer.Builder().nOut(6).preset(preset),
                new SpectralOutputLayer.Builder().nOut(3).preset(preset), 5);
        Set<String> frozen = Nets.frozenKeys(net);
        Map<String, INDArray> before = Nets.snapshot(net.paramTable());

        for (int i = 0; i < 5; i++) {
            net.fit(Nets.features(DataType.DOUBLE, i, 8, 5), Nets.oneHot(DataType.DOUBLE, i, 8, 3));
        }

        long frozenPerLayer = Stream.of(SpectralParam.PHI, SpectralParam.LAMBDA_IN, SpectralParam.LAMBDA_OUT, SpectralParam.BIAS).filter(g -> !preset.trains(g)).count();
        assertEquals(2 * frozenPerLayer, frozen.size(), "frozen keys " + frozen);
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            if (frozen.contains(e.getKey())) {
                assertEquals(before.get(e.getKey()), e.getValue(), e.getKey() + " is frozen and must not change");
            } else {
                assertNotEquals(before.get(e.getKey()), e.getValue(), e.getKey() + " is trained and must change");
            }
        }
        if (preset == SpectralPreset.EIGENVALUES_OUT) {
            assertEquals(0.0, net.getParam("0_lambdaIn").norm1Number().doubleValue(), "lambdaIn pinned at 0");
        }
    }

    @Test
    void customCombinationTrainsExactlyTheChosenGroups() {
        MultiLayerNetwork net = network(new SpectralDenseLayer.Builder().nOut(4).trainLambdaOut(false).trainBias(false),
                new SpectralOutputLayer.Builder().nOut(2).trainPhi(true), 3);
        assertEquals(Set.of("0_phi", "0_lambdaOut", "0_b"), Nets.frozenKeys(net));
        Map<String, INDArray> before = Nets.snapshot(net.paramTable());
        net.fit(Nets.features(DataType.DOUBLE, 1, 8, 3), Nets.oneHot(DataType.DOUBLE, 1, 8, 2));
        assertEquals(before.get("0_phi"), net.getParam("0_phi"));
        assertEquals(before.get("0_b"), net.getParam("0_b"));
        assertNotEquals(before.get("0_lambdaIn"), net.getParam("0_lambdaIn"));
        assertNotEquals(before.get("1_phi"), net.getParam("1_phi"));
    }

    @Test
    void frozenGroupsKeepNoUpdaterState() {
        MultiLayerNetwork net = network(new SpectralDenseLayer.Builder().nOut(1000).preset(SpectralPreset.EIGENVALUES),
                new SpectralOutputLayer.Builder().nOut(10).preset(SpectralPreset.EIGENVALUES), 784);
        long adamState = 2L * (784 + 1000 + 1000) + 2L * (1000 + 10 + 10);
        assertEquals(adamState, net.getUpdater().getStateViewArray().length());

        long reported = net.getLayerWiseConfigurations().getMemoryReport(InputType.feedForward(784))
                .getMemoryBytes(MemoryType.UPDATER_STATE, 1, MemoryUseMode.TRAINING, CacheMode.NONE, DataType.DOUBLE);
        assertEquals(adamState * 8, reported, "memory report: updater state bytes of the trained groups only");
    }

    @Test
    void frozenGroupsGetNoUpdaterAndNoRegularization() {
        MultiLayerNetwork net = network(new SpectralDenseLayer.Builder().nOut(4).preset(SpectralPreset.EIGENVALUES),
                new SpectralOutputLayer.Builder().nOut(2), 3);
        var layer = net.getLayer(0).conf().getLayer();
        assertInstanceOf(NoOp.class, layer.getUpdaterByParam("phi"));
        assertTrue(layer.getRegularizationByParam("phi").isEmpty());
        assertInstanceOf(Adam.class, layer.getUpdaterByParam("lambdaIn"));
        assertInstanceOf(L2Regularization.class, layer.getRegularizationByParam("lambdaIn").get(0),
                "the global l2 reaches trained eigenvalues");
    }

    @Test
    void gradientViewsAreOverwrittenNotAccumulated() {
        MultiLayerNetwork net = network(new SpectralDenseLayer.Builder().nOut(4).preset(SpectralPreset.FULL),
                new SpectralOutputLayer.Builder().nOut(2).preset(SpectralPreset.EIGENVALUES), 3);
        INDArray x = Nets.features(DataType.DOUBLE, 1, 8, 3);
        INDArray y = Nets.oneHot(DataType.DOUBLE, 1, 8, 2);
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        INDArray once = net.gradient().gradient().dup();

        net.setInput(Nets.features(DataType.DOUBLE, 2, 8, 3));
        net.setLabels(Nets.oneHot(DataType.DOUBLE, 2, 8, 2));
        net.computeGradientAndScore();
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();

        assertEquals(once, net.gradient().gradient());
        assertEquals(0.0, net.gradient().getGradientFor("1_phi").norm1Number().doubleValue(), "frozen phi: zero gradient");
        assertTrue(net.gradient().getGradientFor("0_phi").norm1Number().doubleValue() > 0);
    }
}
