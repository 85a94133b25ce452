package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralParam;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * The direct-space weights {@code W = phi .* (lambdaIn^T - lambdaOut)} [nIn, nOut] of a spectral layer's
 * parameters, for any block (LOW_RANK: phi = U V^T is formed here; SPARSE: zero outside the support).
 * Computed by the same code as the layer's forward pass. For export, pruning scores and inspection;
 * the layer itself never needs it for LOW_RANK.
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
        SpectralParams p = SpectralParams.read(conf, params::get, params::get);
        if (p.phiU() != null) {
            INDArray phi = p.phiU().mmul(p.phiV().transpose());
            p = new SpectralParams(phi, null, null, p.lambdaIn(), p.lambdaOut(), p.bias(), null);
        }
        return SpectralMap.weights(p, new DifferenceFactors(), LayerWorkspaceMgr.noWorkspaces(), ArrayType.FF_WORKING_MEM).w();
    }
}
