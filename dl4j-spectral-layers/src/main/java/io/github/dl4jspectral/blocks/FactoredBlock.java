package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.conf.SpectralParam;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.function.Function;

/**
 * A block whose phi is a product of thin factors, {@code phi = U V^T} with U [nIn, r] and V [nOut, r]. The layer
 * never forms phi or W: {@code x W = ((x .* lambdaIn) U) V^T - ((x U) V^T) .* lambdaOut} costs
 * O(batch r (nIn + nOut)); the backward pass gives dL/dU and dL/dV, which the block maps onto its own groups.
 * Weight noise (which acts on a whole phi) is not available.
 */
public abstract sealed class FactoredBlock implements PhiBlock permits LowRankBlock, PinnedWidthBlock {

    @Override
    public boolean acceptsWeightNoise() {
        return false;
    }

    /**
     * Without magnitude sparsity nothing nIn x nOut: the forward pass builds the factors ({@link #factorElements}),
     * A = [lambdaIn^T .* U, U] [nIn, 2r] and B = [V, -(lambdaOut^T .* V)] [nOut, 2r], and H = x A (2r per example);
     * the backward pass builds these again, plus R = delta B (2r per example), delta^T H with dL/dV and V .* M_2
     * (4r nOut) and x^T R with dL/dU and U .* N_1 (4r nIn). With magnitude sparsity the map forms phi, D, W and the
     * mask (four nIn x nOut arrays the layer keeps, with a copy of the factors and eigenvalues that lets an inference
     * pass reuse W) besides the factors; the backward pass also holds G = dL/dphi (a fifth, in its workspace) and
     * maps it onto the block's groups ({@link #phiGradientElements}).
     */
    @Override
    public WorkingMemory workingMemory(long nIn, long nOut, boolean magnitudeSparsity) {
        long r = width(nIn, nOut);
        long factors = factorElements(nIn, nOut);
        long thin = r * (nIn + nOut);
        if (magnitudeSparsity) {
            long whole = nIn * nOut;
            long sources = groups().stream().mapToLong(group -> PhiBlock.size(shape(group, nIn, nOut))).sum() + nIn + nOut;
            long kept = 4 * whole + sources;
            return new WorkingMemory(factors + kept, 0, factors + whole + phiGradientElements(nIn, nOut) + kept, 0, kept);
        }
        return new WorkingMemory(factors + 2 * thin, 2 * r, factors + 6 * thin, 4 * r, 0);
    }

    /**
     * Elements that {@link #phiGradients} allocates: the factors again, dL/dU [nIn, r] and dL/dV [nOut, r].
     */
    protected long phiGradientElements(long nIn, long nOut) {
        return factorElements(nIn, nOut) + width(nIn, nOut) * (nIn + nOut);
    }

    /**
     * Elements of the new arrays that {@link #factors(Function)} allocates on each call: 0 when U and V are the
     * block's own arrays, nIn r when U is computed (e.g. {@code A .* s}, or {@code Q^T} copied).
     */
    protected abstract long factorElements(long nIn, long nOut);

    /** The width of the factors U [nIn, width] and V [nOut, width] for an nIn x nOut map (r or k). */
    public abstract long width(long nIn, long nOut);

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
     * (magnitude sparsity): {@code dL/dU = dL/dphi V}, {@code dL/dV = dL/dphi^T U} (each one gemm into a new 'f'
     * array: {@code mmul} of a transposed view would multiply into a temporary and copy it).
     */
    public void phiGradients(INDArray dPhi, Function<String, INDArray> params, Map<String, INDArray> gradientViews) {
        INDArray[] uv = factors(params);
        INDArray dU = Nd4j.gemm(dPhi, uv[1], Nd4j.createUninitialized(dPhi.dataType(),
                new long[]{dPhi.size(0), uv[1].size(1)}, 'f'), false, false, 1.0, 0.0);
        INDArray dV = Nd4j.gemm(dPhi, uv[0], Nd4j.createUninitialized(dPhi.dataType(),
                new long[]{dPhi.size(1), uv[0].size(1)}, 'f'), true, false, 1.0, 0.0);
        factorGradients(dU, dV, params, gradientViews);
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
