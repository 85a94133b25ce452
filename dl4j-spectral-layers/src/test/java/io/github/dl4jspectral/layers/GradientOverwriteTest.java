package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.EigenvectorBlock;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J never clears the gradient views between iterations, so a layer must overwrite every element of every
 * view on each call: with the views poisoned (NaN) before a backward pass, the gradient equals that of a fresh
 * network, for every preset and block. Guards the native layer's gemm-based sums (beta = 0) and its reuse of
 * working arrays.
 */
class GradientOverwriteTest {

    static Stream<Arguments> cases() {
        return Stream.of(SpectralPreset.values()).flatMap(preset -> Stream.of(
                Arguments.of(preset, EigenvectorBlock.dense()),
                Arguments.of(preset, EigenvectorBlock.sparse(0.5, 3)),
                Arguments.of(preset, EigenvectorBlock.lowRank(2))));
    }

    private static MultiLayerNetwork network(SpectralPreset preset, EigenvectorBlock block) {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(11).updater(new Adam(0.01)).list()
                .layer(new SpectralDenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).preset(preset)
                        .eigenvectorBlock(block).build())
                .layer(new SpectralOutputLayer.Builder().nIn(5).nOut(3).preset(preset).eigenvectorBlock(block).build())
                .build());
        net.init();
        return net;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyGradientElementIsRewrittenEachCall(SpectralPreset preset, EigenvectorBlock block) {
        INDArray x = Nets.features(DataType.DOUBLE, 1, 8, 6);
        INDArray y = Nets.oneHot(DataType.DOUBLE, 2, 8, 3);

        MultiLayerNetwork fresh = network(preset, block);
        fresh.setInput(x);
        fresh.setLabels(y);
        fresh.computeGradientAndScore();
        Map<String, INDArray> expected = fresh.gradient().gradientForVariable();

        MultiLayerNetwork poisoned = network(preset, block);
        poisoned.setInput(x);
        poisoned.setLabels(y);
        poisoned.computeGradientAndScore();   // creates the gradient views
        poisoned.getGradientsViewArray().assign(Double.NaN);
        poisoned.computeGradientAndScore();
        Map<String, INDArray> actual = poisoned.gradient().gradientForVariable();

        assertEquals(expected.keySet(), actual.keySet());
        assertFalse(poisoned.getGradientsViewArray().isNaN().any(), "a gradient view kept a stale (NaN) element");
        expected.forEach((key, gradient) -> assertTrue(gradient.equalsWithEps(actual.get(key), 1e-12),
                key + ": " + gradient + " vs " + actual.get(key)));
    }
}
