package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralParam;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * The direct-space weights {@code W = phi .* (lambdaIn^T - lambdaOut)} [nIn, nOut] of a spectral layer's
 * parameters, for any block: phi is the block's own ({@link io.github.dl4jspectral.blocks.PhiBlock#phi}: formed
 * from the factors of a factored block, zero outside a sparse support), W is computed by the same code as the
 * layer's forward pass, including its magnitude sparsification. For export, pruning scores and inspection.
 */
public final class EffectiveWeights {

    private EffectiveWeights() {
    }

    /**
     * @param params the layer's parameters keyed by {@link SpectralParam#key()} (a runtime layer's
     *               {@code paramTable()}), in either array order
     * @return a new [nIn, nOut] array of the parameters' data type
     */
    public static INDArray of(SpectralLayerConfig conf, Map<String, INDArray> params) {
        return of(conf, params, conf.getSpectral().getMagnitudeSparsity());
    }

    /**
     * {@code phi .* (lambdaIn^T - lambdaOut)} before the layer's magnitude sparsification (if any): the weights whose
     * magnitudes decide which entries {@link MagnitudeSparsity} keeps.
     */
    public static INDArray beforeSparsification(SpectralLayerConfig conf, Map<String, INDArray> params) {
        return of(conf, params, 0);
    }

    private static INDArray of(SpectralLayerConfig conf, Map<String, INDArray> params, double sparsity) {
        SpectralParams p = SpectralParams.read(conf, params::get, params::get);
        INDArray phi = p.block().phi(params, conf.getNIn(), conf.getNOut());
        WeightCache.Buffers buffers = WeightCache.Buffers.detached(phi.dataType(), phi.size(0), phi.size(1),
                sparsity > 0);
        return SpectralMap.weights(p.withPhi(phi), buffers, sparsity, Double.NaN).w();
    }
}
