package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.conf.SpectralParam;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.annotation.JsonTypeName;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Phys. Rev. E 2021 QR block: {@code phi^T = R Q} with {@code phiQ}
 * [k, nIn] a fixed matrix with orthonormal rows (never trained) and {@code phiR} [nOut, k] trained with the
 * eigenvector block, {@code k = min(nIn, nOut)}. Trainable with the eigenvalues: {@code nOut k + nIn + nOut}
 * (+ nOut bias).
 *
 * <p>Initialization: a matrix M [nIn, nOut] is drawn as a dense phi would be (the layer's WeightInit, or the
 * uniform range) and factored, {@code M = Q1 R1} with Q1 [nIn, k] orthonormal columns (Gram-Schmidt, twice, in
 * double precision) and {@code R1 = Q1^T M}; then {@code phiQ = Q1^T}, {@code phiR = R1^T}, so phi starts equal to
 * M (as the authors' code, which draws M normal).
 *
 * <p>As factors {@code U = Q^T}, {@code V = R}, so {@code dL/dR = dL/dV}. Pruning slices rows of R (outputs,
 * exact, Q unchanged) or columns of Q (inputs: exact for phi, but Q's rows are then no longer orthonormal); the
 * smaller layer keeps k (a pinned width, {@link #QrBlock(int)}), and a layer with an explicit k
 * that differs from min(nIn, nOut) is initialized with random factors (its values are expected to be set, as
 * pruning does).
 */
@JsonTypeName("QR")
public final class QrBlock extends PinnedWidthBlock {

    /** The block with k = min(nIn, nOut). */
    public QrBlock() {
        this(0);
    }

    /** The block with its width pinned at {@code k} (0: min(nIn, nOut)); see {@link PinnedWidthBlock}. */
    @JsonCreator
    public QrBlock(@JsonProperty("rank") int k) {
        super(k);
    }

    @Override
    public List<SpectralParam> groups() {
        return List.of(SpectralParam.PHI_Q, SpectralParam.PHI_R);
    }

    @Override
    public long[] shape(SpectralParam group, long nIn, long nOut) {
        long k = width(nIn, nOut);
        return group == SpectralParam.PHI_Q ? new long[]{k, nIn} : new long[]{nOut, k};
    }

    @Override
    public void validate(String layer, long nIn, long nOut) {
        rejectNegativeWidth(layer, "qr");
    }

    @Override
    public void initialize(PhiInit init, Map<String, INDArray> params, long nIn, long nOut) {
        INDArray q = params.get(SpectralParam.PHI_Q.key());
        INDArray r = params.get(SpectralParam.PHI_R.key());
        if (width(nIn, nOut) != Math.min(nIn, nOut)) {
            init.normal(q, 1 / Math.sqrt(nIn));
            init.normal(r, Math.sqrt(init.phiVariance().getAsDouble() * nIn / width(nIn, nOut)));
            return;
        }
        INDArray m = Nd4j.create(q.dataType(), new long[]{nIn, nOut}, 'f');
        init.drawPhi(m);
        INDArray m64 = m.castTo(DataType.DOUBLE).dup('f');
        INDArray q1 = orthonormalColumns(m64, width(nIn, nOut));      // Q1 [nIn, k]
        INDArray r1 = q1.transpose().mmul(m64);                       // R1 = Q1^T M [k, nOut]: M = Q1 R1
        q.assign(q1.transpose());
        r.assign(r1.transpose());
    }

    /**
     * False: Q and R come out of Gram-Schmidt in ND4J (BLAS) arithmetic, whose rounding may differ between machines
     * and thread counts, so they are not a function of the seed alone.
     */
    @Override
    public boolean regeneratesPortably() {
        return false;
    }

    /** Columns orthonormalized together against the earlier ones (matrix products), then one by one inside the panel. */
    private static final int PANEL = 64;

    /**
     * Orthonormal columns spanning the first {@code k} columns of {@code m} [rows, cols] (double, 'f'): block
     * Gram-Schmidt, each projection applied twice (as accurate as Householder for these well-conditioned random
     * draws), panels of {@value #PANEL} columns so that most of the work is matrix products. Not ND4J's {@code qr}
     * op: in M2.1 it needs memory cubic in the size (4 GB for 1024 x 1024).
     */
    static INDArray orthonormalColumns(INDArray m, long k) {
        long rows = m.size(0);
        INDArray q = Nd4j.create(DataType.DOUBLE, new long[]{rows, k}, 'f');
        for (long start = 0; start < k; start += PANEL) {
            long end = Math.min(k, start + PANEL);
            INDArray panel = m.get(NDArrayIndex.all(), NDArrayIndex.interval(start, end)).dup('f');
            if (start > 0) {
                INDArray earlier = q.get(NDArrayIndex.all(), NDArrayIndex.interval(0, start)).dup('f');
                for (int pass = 0; pass < 2; pass++) {
                    panel.subi(earlier.mmul(earlier.transpose().mmul(panel)));
                }
            }
            for (long j = start; j < end; j++) {
                INDArray v = panel.getColumn(j - start).dup().reshape(rows, 1);
                if (j > start) {
                    INDArray within = q.get(NDArrayIndex.all(), NDArrayIndex.interval(start, j)).dup('f');
                    for (int pass = 0; pass < 2; pass++) {
                        v.subi(within.mmul(within.transpose().mmul(v)));
                    }
                }
                q.getColumn(j).assign(v.divi(v.norm2Number()).reshape(rows));
            }
        }
        return q;
    }

    /** U = Q^T, copied into a new [nIn, k] array (V = R is the block's own). */
    @Override
    protected long factorElements(long nIn, long nOut) {
        return nIn * width(nIn, nOut);
    }

    @Override
    public INDArray[] factors(Function<String, INDArray> params) {
        return new INDArray[]{get(params, SpectralParam.PHI_Q).transpose().dup('f'), get(params, SpectralParam.PHI_R)};
    }

    @Override
    public void factorGradients(INDArray dU, INDArray dV, Function<String, INDArray> params,
                                Map<String, INDArray> gradientViews) {
        gradientViews.get(SpectralParam.PHI_R.key()).assign(dV);
    }

    /** dL/dR [nOut, k] only. */
    @Override
    protected long phiGradientElements(long nIn, long nOut) {
        return nOut * width(nIn, nOut);
    }

    /** Only R trains: {@code dL/dR = dL/dphi^T Q^T}, without the unused dL/dU. */
    @Override
    public void phiGradients(INDArray dPhi, Function<String, INDArray> params, Map<String, INDArray> gradientViews) {
        INDArray q = get(params, SpectralParam.PHI_Q);
        INDArray dR = Nd4j.gemm(dPhi, q, Nd4j.createUninitialized(dPhi.dataType(), new long[]{dPhi.size(1), q.size(0)}, 'f'),
                true, true, 1.0, 0.0);
        gradientViews.get(SpectralParam.PHI_R.key()).assign(dR);
    }

    @Override
    public SDVariable[] factors(SameDiff sd, Map<String, SDVariable> params) {
        return new SDVariable[]{params.get(SpectralParam.PHI_Q.key()).permute(1, 0), params.get(SpectralParam.PHI_R.key())};
    }

    @Override
    public PhiBlock sliceOutputs(Map<String, INDArray> params, int[] keep, String layer) {
        long k = params.get(SpectralParam.PHI_Q.key()).size(0);
        ParamSlices.keepRows(params, SpectralParam.PHI_R.key(), keep);
        return new QrBlock((int) k);
    }

    @Override
    public PhiBlock sliceInputs(Map<String, INDArray> params, int[] keep, String layer) {
        long k = params.get(SpectralParam.PHI_Q.key()).size(0);
        ParamSlices.keepColumns(params, SpectralParam.PHI_Q.key(), keep);
        return new QrBlock((int) k);
    }
}
