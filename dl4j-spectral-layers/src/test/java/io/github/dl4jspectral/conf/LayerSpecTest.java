package io.github.dl4jspectral.conf;

import io.github.dl4jspectral.blocks.LowRankBlock;
import io.github.dl4jspectral.params.SpectralParamInitializer;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validated value of a layer configuration: made once and kept while it describes the configuration, made again
 * when sizes or settings change, and the source of the parameter layout.
 */
class LayerSpecTest {

    @Test
    void theSpecIsKeptWhileTheConfigurationIsUnchangedAndRemadeWhenItChanges() {
        SpectralDenseLayer layer = new SpectralDenseLayer.Builder().name("h").nIn(5).nOut(4).lowRank(2).build();
        LayerSpec first = layer.spec();
        assertSame(first, layer.spec());
        SpectralParamInitializer.getInstance().numParams(layer);
        assertSame(first, layer.spec(), "sizing the layer reads the kept spec");
        layer.setNIn(7);
        LayerSpec resized = layer.spec();
        assertNotSame(first, resized);
        assertEquals(7, resized.nIn());
        assertArrayEquals(new long[]{7, 2}, resized.shape(SpectralParam.PHI_U));
        layer.setSpectral(layer.getSpectral().withBlock(new LowRankBlock(3)));
        assertEquals(new LowRankBlock(3), layer.spec().block());
        assertEquals((7 + 4) * 3 + 7 + 4 + 4, SpectralParamInitializer.getInstance().numParams(layer));
    }

    @Test
    void theSpecListsTheGroupsInFlatLayoutOrder() {
        SpectralDenseLayer layer = new SpectralDenseLayer.Builder().nIn(5).nOut(4).svd().hasBias(false).build();
        assertEquals(List.of("phiA", "phiS", "phiB", "lambdaIn", "lambdaOut"), layer.spec().keys());
        assertEquals(5 * 4 + 4 + 4 * 4 + 5 + 4, layer.spec().totalSize());
    }

    @Test
    void settingsChangedAfterBuildingAreValidatedWhenTheLayerIsNextSized() {
        SpectralDenseLayer layer = new SpectralDenseLayer.Builder().name("h").nIn(5).nOut(4).build();
        layer.spec();
        layer.setSpectral(layer.getSpectral().withBlock(new LowRankBlock(0)));
        layer.setHasBias(false);
        DL4JInvalidConfigException e = assertThrows(DL4JInvalidConfigException.class,
                () -> SpectralParamInitializer.getInstance().numParams(layer));
        assertTrue(e.getMessage().startsWith("SpectralDenseLayer \"h\": trainBias(true) contradicts hasBias(false)"),
                e.getMessage());
        layer.setHasBias(true);
        DL4JInvalidConfigException sized = assertThrows(DL4JInvalidConfigException.class,
                () -> layer.spec().checkSized("SpectralDenseLayer \"h\" (layer index 3)"));
        assertTrue(sized.getMessage().startsWith("SpectralDenseLayer \"h\" (layer index 3): lowRank r = 0; expected "
                + "1 <= r <= min(nIn, nOut) = 4"), sized.getMessage());
    }
}
