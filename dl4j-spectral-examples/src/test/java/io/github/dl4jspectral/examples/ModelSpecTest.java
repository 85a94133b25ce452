package io.github.dl4jspectral.examples;

import io.github.dl4jspectral.conf.EigenvectorBlock;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.examples.models.ModelSpec;
import io.github.dl4jspectral.layers.EffectiveWeights;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The named networks of the demo and the benchmarks: names round-trip, every network builds and trains. */
class ModelSpecTest {

    private static final List<String> NAMES = List.of("dense", "eigenvalues-out", "eigenvalues", "full", "svd", "qr",
            "low-rank-4", "sparse-0.2", "sparse-dense-0.2", "magnitude-0.9", "magnitude-dense-0.9");

    @Test
    void everyNameParsesBackAndItsNetworkTrains() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 20);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 3);
        for (int i = 0; i < 16; i++) {
            y.putScalar(i, i % 3, 1);
        }
        for (String name : NAMES) {
            ModelSpec spec = ModelSpec.parse(name);
            assertEquals(name, spec.name());
            MultiLayerNetwork net = spec.network(20, 12, 3, Activation.TANH, 1e-2, 1);
            INDArray before = net.params().dup();
            net.fit(x, y);
            assertNotEquals(before, net.params(), name + " trains");
        }
    }

    @Test
    void paperKindsUseThePaperBlocksAndTheMagnitudeRule() {
        MultiLayerNetwork svd = ModelSpec.parse("svd").network(20, 12, 3, Activation.TANH, 1e-2, 1);
        SpectralLayerConfig hidden = (SpectralLayerConfig) svd.getLayerWiseConfigurations().getConf(0).getLayer();
        assertEquals(EigenvectorBlock.svd(), hidden.getSpectral().getBlock());
        assertEquals(12 + 20 + 12 + 12 + (3 + 12 + 3 + 3), ParameterCounts.of(svd).trainable(),
                "s, both eigenvalue sets and b of both maps");
        for (String name : List.of("magnitude-0.9", "magnitude-dense-0.9")) {
            MultiLayerNetwork net = ModelSpec.parse(name).network(20, 12, 3, Activation.TANH, 1e-2, 1);
            SpectralLayerConfig layer = (SpectralLayerConfig) net.getLayerWiseConfigurations().getConf(0).getLayer();
            INDArray w = EffectiveWeights.of(layer, net.getLayer(0).paramTable());
            assertEquals(Math.round(0.9 * 240), w.eq(0).castTo(DataType.INT64).sumNumber().longValue(), name);
        }
    }

    @Test
    void unknownNamesListTheAcceptedOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("svd-2"));
        assertTrue(e.getMessage().contains("svd, qr") && e.getMessage().contains("magnitude-F"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("magnitude-1.0"));
    }
}
