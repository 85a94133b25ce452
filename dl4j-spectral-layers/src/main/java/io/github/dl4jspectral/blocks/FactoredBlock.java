package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.conf.EigenvectorBlock;
import io.github.dl4jspectral.conf.SpectralParam;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.function.Function;

/**
 * A block whose phi is a product of thin factors, {@code phi = U V^T} with U [nIn, r] and V [nOut, r]. The layer
 * never forms phi or W: {@code x W = ((x .* lambdaIn) U) V^T - ((x U) V^T) .* lambdaOut} costs
 * O(batch r (nIn + nOut)); the backward pass gives dL/dU and dL/dV, which the block maps onto its own groups.
 * Weight noise (which acts on a whole phi) is not available.
 */
public abstract non-sealed class FactoredBlock implements PhiBlock {

    private final EigenvectorBlock config;

    protected FactoredBlock(EigenvectorBlock config) {
        this.config = config;
    }

    @Override
    public EigenvectorBlock config() {
        return config;
    }

    @Override
    public boolean acceptsWeightNoise() {
        return false;
    }

    /**
     * A = [lambdaIn^T .* U, U] and B = [V, -(lambdaOut^T .* V)], their backward counterparts and the factor
     * gradients (about 5 r (nIn + nOut) numbers), and x A and delta B (4 r per example). Never nIn x nOut.
     */
    @Override
    public long[] workingMemory(long nIn, long nOut) {
        long r = rank(nIn, nOut);
        return new long[]{5 * r * (nIn + nOut), 4 * r};
    }

    /** r, the width of the factors, for an nIn x nOut map. */
    public abstract long rank(long nIn, long nOut);

    /** The papers' blocks' width: k = min(nIn, nOut), or the configured k once pruning has pinned it. */
    protected long minOrPinnedWidth(long nIn, long nOut) {
        return config().getRank() > 0 ? config().getRank() : Math.min(nIn, nOut);
    }

    /** Rejects a negative configured width (0 means min(nIn, nOut)); {@code block} names it in the message. */
    protected void rejectNegativeWidth(String layer, String block) {
        if (config().getRank() < 0) {
            throw new DL4JInvalidConfigException(layer + ": " + block + " k = " + config().getRank()
                    + "; expected k >= 1, or 0 for min(nIn, nOut)");
        }
    }

    /**
     * U [nIn, r] and V [nOut, r] of the block's arrays, {@code params} giving them by key (read only; U and V
     * may be views of them, or new arrays).
     */
    public abstract INDArray[] factors(Function<String, INDArray> params);

    /**
     * Writes the gradients of the block's non-fixed groups into their views, given {@code dU} = dL/dU and
     * {@code dV} = dL/dV of the factors {@link #factors} returned. Called only when the block trains; the views
     * of fixed factors are zeroed by the caller.
     */
    public abstract void factorGradients(INDArray dU, INDArray dV, Function<String, INDArray> params,
                                         Map<String, INDArray> gradientViews);

    /**
     * Writes the gradients of the block's non-fixed groups given dL/dphi [nIn, nOut], for passes that built phi
     * (magnitude sparsity): {@code dL/dU = dL/dphi V}, {@code dL/dV = dL/dphi^T U}.
     */
    public void phiGradients(INDArray dPhi, Function<String, INDArray> params, Map<String, INDArray> gradientViews) {
        INDArray[] uv = factors(params);
        factorGradients(dPhi.mmul(uv[1]), dPhi.transpose().mmul(uv[0]), params, gradientViews);
    }

    /** U and V as SameDiff expressions of the block's variables (or constants, when frozen). */
    public abstract SDVariable[] factors(SameDiff sd, Map<String, SDVariable> params);

    @Override
    public INDArray phi(Map<String, INDArray> params, long nIn, long nOut) {
        INDArray[] uv = factors(params::get);
        return uv[0].mmul(uv[1].transpose()).dup('f');
    }

    /** The array of {@code group} in {@code params}. */
    protected static INDArray get(Function<String, INDArray> params, SpectralParam group) {
        return params.apply(group.key());
    }
}
