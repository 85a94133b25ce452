package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.conf.SpectralParam;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.annotation.JsonTypeName;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Phys. Rev. E 2021 S-SVD block: {@code phi = A diag(s) B^T} with
 * {@code phiA} [nIn, k] and {@code phiB} [nOut, k] fixed random factors (never trained: no updater state,
 * bit-identical through training) and the singular values {@code phiS} [1, k] trained with the eigenvector
 * block, {@code k = min(nIn, nOut)}. Trainable with the eigenvalues: {@code k + nIn + nOut} (+ nOut bias), linear
 * in the nodes.
 *
 * <p>As factors {@code U = A .* s} (each column of A scaled by its singular value) and {@code V = B}, so
 * {@code dL/ds[c] = sum_j A[j][c] dL/dU[j][c]}.
 *
 * <p>Initialization: s ~ U(0, 3) (the authors'), A and B ~ N(0, sigma). With {@code SpectralInit.authorsSvd()}
 * sigma = 0.04 as in the authors' code; otherwise sigma is chosen so that phi has the variance the mode gives a
 * dense phi: {@code Var(phi) = k sigma^4 E[s^2] = 3 k sigma^4}.
 *
 * <p>Pruning slices rows of B (outputs) or of A (inputs), exactly; the smaller layer keeps k (a pinned width,
 * {@link #SvdBlock(int)}).
 */
@JsonTypeName("SVD")
public final class SvdBlock extends PinnedWidthBlock {

    /** Upper end of the singular values' initial uniform range, as in the authors' code. */
    public static final double SINGULAR_VALUE_MAX = 3.0;
    /** Standard deviation of the factors A and B under {@code SpectralInit.authorsSvd()}, as in the authors' code. */
    public static final double AUTHORS_FACTOR_STD = 0.04;

    /** The block with k = min(nIn, nOut). */
    public SvdBlock() {
        this(0);
    }

    /** The block with its width pinned at {@code k} (0: min(nIn, nOut)); see {@link PinnedWidthBlock}. */
    @JsonCreator
    public SvdBlock(@JsonProperty("rank") int k) {
        super(k);
    }

    @Override
    public List<SpectralParam> groups() {
        return List.of(SpectralParam.PHI_A, SpectralParam.PHI_S, SpectralParam.PHI_B);
    }

    @Override
    public long[] shape(SpectralParam group, long nIn, long nOut) {
        long k = width(nIn, nOut);
        return switch (group) {
            case PHI_A -> new long[]{nIn, k};
            case PHI_S -> new long[]{1, k};
            default -> new long[]{nOut, k};
        };
    }

    /** True: {@code SpectralInit.authorsSvd()} draws A and B ~ N(0, 0.04) and s ~ U(0, 3). */
    @Override
    public boolean hasAuthorsInit() {
        return true;
    }

    @Override
    public void validate(String layer, long nIn, long nOut) {
        rejectNegativeWidth(layer, "svd");
    }

    @Override
    public void initialize(PhiInit init, Map<String, INDArray> params, long nIn, long nOut) {
        long k = width(nIn, nOut);
        double std = init.authorsInit() ? AUTHORS_FACTOR_STD
                : StrictMath.pow(init.phiVariance().getAsDouble() / (3.0 * k), 0.25);
        init.normal(params.get(SpectralParam.PHI_A.key()), std);
        init.uniform(params.get(SpectralParam.PHI_S.key()), 0, SINGULAR_VALUE_MAX);
        init.normal(params.get(SpectralParam.PHI_B.key()), std);
    }

    /** U = A .* s, a new [nIn, k] array (V = B is the block's own). */
    @Override
    protected long factorElements(long nIn, long nOut) {
        return nIn * width(nIn, nOut);
    }

    @Override
    public INDArray[] factors(Function<String, INDArray> params) {
        INDArray a = get(params, SpectralParam.PHI_A);
        return new INDArray[]{a.mulRowVector(get(params, SpectralParam.PHI_S)), get(params, SpectralParam.PHI_B)};
    }

    @Override
    public void factorGradients(INDArray dU, INDArray dV, Function<String, INDArray> params,
                                Map<String, INDArray> gradientViews) {
        INDArray s = gradientViews.get(SpectralParam.PHI_S.key());
        dU.muli(get(params, SpectralParam.PHI_A)).sum(s, 0);
    }

    @Override
    public SDVariable[] factors(SameDiff sd, Map<String, SDVariable> params) {
        return new SDVariable[]{params.get(SpectralParam.PHI_A.key()).mul(params.get(SpectralParam.PHI_S.key())),
                params.get(SpectralParam.PHI_B.key())};
    }

    @Override
    public PhiBlock sliceOutputs(Map<String, INDArray> params, int[] keep, String layer) {
        long k = params.get(SpectralParam.PHI_S.key()).length();
        ParamSlices.keepRows(params, SpectralParam.PHI_B.key(), keep);
        return new SvdBlock((int) k);
    }

    @Override
    public PhiBlock sliceInputs(Map<String, INDArray> params, int[] keep, String layer) {
        long k = params.get(SpectralParam.PHI_S.key()).length();
        ParamSlices.keepRows(params, SpectralParam.PHI_A.key(), keep);
        return new SvdBlock((int) k);
    }
}
