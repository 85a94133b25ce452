package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.conf.EigenvectorBlock;
import io.github.dl4jspectral.conf.SpectralParam;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code phi = U V^T} of rank r ({@link EigenvectorBlock#lowRank(int)}, this library's variant): {@code phiU}
 * [nIn, r] and {@code phiV} [nOut, r], trained or frozen together, r (nIn + nOut) numbers. Initialized from
 * zero-mean normals of equal variance such that phi has the variance the mode gives a dense phi
 * ({@code Var(phi) = r Var(U) Var(V)}). Pruning slices rows of V (outputs) or of U (inputs), exactly.
 */
public final class LowRankBlock extends FactoredBlock {

    public LowRankBlock(EigenvectorBlock config) {
        super(config);
    }

    @Override
    public List<SpectralParam> groups() {
        return List.of(SpectralParam.PHI_U, SpectralParam.PHI_V);
    }

    @Override
    public long[] shape(SpectralParam group, long nIn, long nOut) {
        return new long[]{group == SpectralParam.PHI_U ? nIn : nOut, config().getRank()};
    }

    @Override
    public long rank(long nIn, long nOut) {
        return config().getRank();
    }

    @Override
    public void validate(String layer, long nIn, long nOut) {
        int rank = config().getRank();
        long max = nIn > 0 ? Math.min(nIn, nOut) : nOut;
        if (rank < 1 || rank > max) {
            throw new DL4JInvalidConfigException(layer + ": lowRank r = " + rank + "; expected 1 <= r <= min(nIn, nOut) = "
                    + (nIn > 0 ? max : "min(?, " + nOut + ")"));
        }
    }

    @Override
    public void initialize(PhiInit init, Map<String, INDArray> params, long nIn, long nOut) {
        double factorStd = Math.pow(init.phiVariance().getAsDouble() / config().getRank(), 0.25);
        PhiInit.normal(params.get(SpectralParam.PHI_U.key()), factorStd);
        PhiInit.normal(params.get(SpectralParam.PHI_V.key()), factorStd);
    }

    @Override
    public INDArray[] factors(Function<String, INDArray> params) {
        return new INDArray[]{get(params, SpectralParam.PHI_U), get(params, SpectralParam.PHI_V)};
    }

    @Override
    public void factorGradients(INDArray dU, INDArray dV, Function<String, INDArray> params,
                                Map<String, INDArray> gradientViews) {
        gradientViews.get(SpectralParam.PHI_U.key()).assign(dU);
        gradientViews.get(SpectralParam.PHI_V.key()).assign(dV);
    }

    @Override
    public SDVariable[] factors(SameDiff sd, Map<String, SDVariable> params) {
        return new SDVariable[]{params.get(SpectralParam.PHI_U.key()), params.get(SpectralParam.PHI_V.key())};
    }

    @Override
    public EigenvectorBlock sliceOutputs(Map<String, INDArray> params, int[] keep, String layer) {
        ParamSlices.keepRows(params, SpectralParam.PHI_V.key(), keep);
        return config();
    }

    @Override
    public EigenvectorBlock sliceInputs(Map<String, INDArray> params, int[] keep, String layer) {
        ParamSlices.keepRows(params, SpectralParam.PHI_U.key(), keep);
        return config();
    }
}
