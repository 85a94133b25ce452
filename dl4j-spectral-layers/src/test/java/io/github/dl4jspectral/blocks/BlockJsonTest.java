package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.conf.EigenvectorBlock;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON form of the blocks: every kind is found through the sealed hierarchy, the legacy form that writes
 * {@code type, rank, density, seed} for every kind reads into the right block, and a configuration round trip keeps
 * the block.
 */
class BlockJsonTest {

    private static final List<PhiBlock> EVERY_KIND = List.of(DenseBlock.dense(), new SparseBlock(0.25, 7),
            new LowRankBlock(3), new SvdBlock(), new SvdBlock(4), new QrBlock(), new QrBlock(2));

    @Test
    void theSealedHierarchyNamesEveryKind() {
        assertEquals(Set.of("DENSE", "LOW_RANK", "QR", "SPARSE", "SVD"), BlockJson.typeNames());
        for (PhiBlock block : EVERY_KIND) {
            assertTrue(BlockJson.typeNames().contains(block.typeName()), block.toString());
        }
    }

    @Test
    void theLegacyFormWithEveryFieldReadsIntoTheKindsOwnSettings() {
        assertEquals(DenseBlock.dense(), BlockJson.read("DENSE", legacy(0, 1.0, 0)));
        assertEquals(DenseBlock.dense(), BlockJson.read(null, legacy(0, 1.0, 0)));
        assertEquals(new LowRankBlock(5), BlockJson.read("LOW_RANK", legacy(5, 1.0, 0)));
        assertEquals(new SparseBlock(0.5, 7), BlockJson.read("SPARSE", legacy(0, 0.5, 7)));
        assertEquals(new SvdBlock(), BlockJson.read("SVD", legacy(0, 1.0, 0)));
        assertEquals(new SvdBlock(6), BlockJson.read("SVD", legacy(6, 1.0, 0)));
        assertEquals(new QrBlock(2), BlockJson.read("QR", legacy(2, 1.0, 0)));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> BlockJson.read("BANDED", legacy(0, 1.0, 0)));
        assertTrue(unknown.getMessage().contains("spectral.block.type = BANDED; expected one of [DENSE, LOW_RANK, QR, "
                + "SPARSE, SVD]"), unknown.getMessage());
    }

    @Test
    void aConfigurationRoundTripKeepsEveryBlockAndWritesEveryLegacyField() {
        for (PhiBlock block : EVERY_KIND) {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                    .layer(new SpectralDenseLayer.Builder().nIn(8).nOut(6).activation(Activation.TANH)
                            .eigenvectorBlock(block).build())
                    .layer(new SpectralOutputLayer.Builder().nIn(6).nOut(2).build())
                    .build();
            String json = conf.toJson();
            MultiLayerConfiguration read = MultiLayerConfiguration.fromJson(json);
            SpectralDenseLayer layer = (SpectralDenseLayer) read.getConf(0).getLayer();
            assertEquals(block, layer.getSpectral().block(), json);
            assertEquals(conf, read);
            Map<String, Object> fields = new java.util.TreeMap<>(Map.of("density", 1.0, "rank", 0, "seed", 0L));
            fields.putAll(block.properties());
            String written = "\"block\" : {\n          \"density\" : " + fields.get("density") + ",\n          \"rank\" : "
                    + fields.get("rank") + ",\n          \"seed\" : " + fields.get("seed") + ",\n          \"type\" : \""
                    + block.typeName() + "\"\n        }";
            assertTrue(json.contains(written), written + " in " + json);
        }
    }

    @Test
    void theDeprecatedViewDelegatesToTheBlock() {
        EigenvectorBlock svd = EigenvectorBlock.svd();
        assertEquals(new SvdBlock(), svd.block());
        assertEquals(EigenvectorBlock.Type.SVD, svd.getType());
        assertEquals(new SvdBlock(3), svd.withRank(3).block());
        assertEquals(3, svd.withRank(3).getRank());
        assertEquals(new LowRankBlock(2), EigenvectorBlock.lowRank(4).withRank(2).block());
        EigenvectorBlock sparse = EigenvectorBlock.sparse(0.3, 11);
        assertEquals(0.3, sparse.getDensity());
        assertEquals(11, sparse.getSeed());
        assertEquals(0, sparse.getRank());
        assertEquals(1.0, EigenvectorBlock.dense().getDensity());
    }

    private static Map<String, Object> legacy(int rank, double density, long seed) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("density", density);
        fields.put("rank", rank);
        fields.put("seed", seed);
        return fields;
    }
}
