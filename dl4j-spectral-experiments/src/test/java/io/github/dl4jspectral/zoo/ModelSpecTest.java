package io.github.dl4jspectral.zoo;

import io.github.dl4jspectral.conf.EigenvectorBlock;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.layers.EffectiveWeights;
import io.github.dl4jspectral.samediff.SameDiffSpectralDenseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
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
            "low-rank-4", "sparse-0.2", "sparse-dense-0.2", "magnitude-0.9", "magnitude-dense-0.9", "samediff-full",
            "samediff-low-rank-4", "exported-full", "exported-qr");

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
    void implementationsRunTheSameFamilyTheirWay() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 20);
        ModelSpec full = ModelSpec.parse("full");
        MultiLayerNetwork samediff = full.samediff().network(20, 12, 3, Activation.TANH, 1e-2, 1);
        assertTrue(samediff.getLayerWiseConfigurations().getConf(0).getLayer() instanceof SameDiffSpectralDenseLayer);
        assertTrue(samediff.getLayerWiseConfigurations().getConf(1).getLayer() instanceof SpectralOutputLayer,
                "the output map stays native");
        MultiLayerNetwork exported = full.exported().network(20, 12, 3, Activation.TANH, 1e-2, 1);
        assertTrue(exported.getLayerWiseConfigurations().getConf(0).getLayer() instanceof DenseLayer);
        assertTrue(exported.getLayerWiseConfigurations().getConf(1).getLayer() instanceof OutputLayer);
        assertEquals(full.network(20, 12, 3, Activation.TANH, 1e-2, 1).output(x), exported.output(x),
                "the exported network computes what its native source computes");
        assertTrue(full.spectral() && !full.exported().spectral() && full.samediff().spectral());
        var e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("samediff-dense"));
        assertTrue(e.getMessage().contains("prefixed samediff- or exported-"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.of(ModelSpec.Kind.DENSE).exported());
    }

    @Test
    void unknownNamesListTheAcceptedOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("svd-2"));
        assertTrue(e.getMessage().contains("svd, qr") && e.getMessage().contains("magnitude-F"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("magnitude-1.0"));
    }
}
