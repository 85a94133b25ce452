package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.conf.SpectralParam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * A block that stores phi [nIn, nOut] whole, key {@code phi}, possibly restricted to a fixed 0/1 support. The
 * layer builds {@code W = phi .* (lambdaIn^T - lambdaOut)} (.* support) and multiplies by it; the gradient of
 * phi is {@code G .* (lambdaIn^T - lambdaOut)} (.* support).
 */
public abstract sealed class WholePhiBlock implements PhiBlock permits DenseBlock, SparseBlock {

    @Override
    public List<SpectralParam> groups() {
        return List.of(SpectralParam.PHI);
    }

    @Override
    public long[] shape(SpectralParam group, long nIn, long nOut) {
        return new long[]{nIn, nOut};
    }

    @Override
    public boolean acceptsWeightNoise() {
        return true;
    }

    /**
     * W and D = lambdaIn^T - lambdaOut, two nIn x nOut arrays, and a third for the magnitude mask of a sparsified map,
     * kept by the layer and reused by every pass (the backward pass puts G .* phi in W's memory and, when phi is frozen,
     * G in D's; G of a trained phi goes straight into its gradient view); the copy of phi, lambdaIn and lambdaOut that
     * lets an inference pass reuse W; and the block's cached support ({@link #supportElements}). Nothing in
     * workspaces, nothing per example: z and dL/dx are the layer's activations and their gradient.
     */
    @Override
    public WorkingMemory workingMemory(long nIn, long nOut, boolean magnitudeSparsity) {
        long kept = (magnitudeSparsity ? 3 : 2) * nIn * nOut + (nIn * nOut + nIn + nOut) + supportElements(nIn, nOut);
        return new WorkingMemory(kept, 0, kept, 0, kept);
    }

    /** Elements of the cached 0/1 support that {@link #support} returns (0 without a support). */
    protected abstract long supportElements(long nIn, long nOut);

    /**
     * The 0/1 support [nIn, nOut] ('f' order) that multiplies phi, W and the gradient of phi, or {@code null} for
     * none. Shared and read only.
     */
    public abstract INDArray support(long nIn, long nOut, DataType type);

    @Override
    public INDArray phi(Map<String, INDArray> params, long nIn, long nOut) {
        INDArray phi = params.get(SpectralParam.PHI.key()).dup('f');
        INDArray support = support(nIn, nOut, phi.dataType());
        return support == null ? phi : phi.muli(support);
    }

    @Override
    public PhiBlock sliceOutputs(Map<String, INDArray> params, int[] keep, String layer) {
        ParamSlices.keepColumns(params, SpectralParam.PHI.key(), keep);
        return this;
    }

    @Override
    public PhiBlock sliceInputs(Map<String, INDArray> params, int[] keep, String layer) {
        ParamSlices.keepRows(params, SpectralParam.PHI.key(), keep);
        return this;
    }
}
