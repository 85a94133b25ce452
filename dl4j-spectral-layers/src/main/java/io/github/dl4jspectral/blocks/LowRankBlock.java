package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.conf.SpectralParam;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.annotation.JsonTypeName;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@code phi = U V^T} of rank r (this library's variant): {@code phiU}
 * [nIn, r] and {@code phiV} [nOut, r], trained or frozen together, r (nIn + nOut) numbers. Initialized from
 * zero-mean normals of equal variance such that phi has the variance the mode gives a dense phi
 * ({@code Var(phi) = r Var(U) Var(V)}).
 *
 * <p>Pruning slices rows of V (outputs) or of U (inputs), exactly. When fewer than r nodes remain on a side, the
 * slice {@code U V^T} has rank at most {@code r' = min(nIn', nOut', r)}, and the smaller layer gets lowRank(r'),
 * refactored so that it computes the same phi up to rounding: if V is the short side, {@code V^T = Q R} (thin
 * Householder QR in double precision, Q [r, nOut'] with orthonormal columns), {@code U' = U Q} and {@code V' = R^T};
 * if U is, {@code U^T = Q R}, {@code U' = R^T} and {@code V' = V Q}. The rows of the new short factor keep the norms of
 * the kept rows; these factors are new numbers, not copies. JSON: {@code {"type": "LOW_RANK", "rank": r}}.
 */
@JsonTypeName("LOW_RANK")
public final class LowRankBlock extends FactoredBlock {

    private final int rank;

    /** phi = U V^T of rank {@code r}, 1 &lt;= r &lt;= min(nIn, nOut) (checked when the layer is built). */
    @JsonCreator
    public LowRankBlock(@JsonProperty("rank") int r) {
        this.rank = r;
    }

    /** The rank r of phi = U V^T. */
    public int rank() {
        return rank;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("rank", rank);
    }

    @Override
    public List<SpectralParam> groups() {
        return List.of(SpectralParam.PHI_U, SpectralParam.PHI_V);
    }

    @Override
    public long[] shape(SpectralParam group, long nIn, long nOut) {
        return new long[]{group == SpectralParam.PHI_U ? nIn : nOut, rank};
    }

    /** r. */
    @Override
    public long width(long nIn, long nOut) {
        return rank;
    }

    @Override
    public void validate(String layer, long nIn, long nOut) {
        long max = nIn > 0 ? Math.min(nIn, nOut) : nOut;
        if (rank < 1 || rank > max) {
            throw new DL4JInvalidConfigException(layer + ": lowRank r = " + rank + "; expected 1 <= r <= min(nIn, nOut) = "
                    + (nIn > 0 ? max : "min(?, " + nOut + ")"));
        }
    }

    @Override
    public void initialize(PhiInit init, Map<String, INDArray> params, long nIn, long nOut) {
        double factorStd = StrictMath.pow(init.phiVariance().getAsDouble() / rank, 0.25);
        init.normal(params.get(SpectralParam.PHI_U.key()), factorStd);
        init.normal(params.get(SpectralParam.PHI_V.key()), factorStd);
    }

    /** U and V are the block's own arrays. */
    @Override
    protected long factorElements(long nIn, long nOut) {
        return 0;
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

    /** Keeps rows {@code keep} of V; if fewer than r outputs remain, the rank shrinks to fit (see the class description). */
    @Override
    public PhiBlock sliceOutputs(Map<String, INDArray> params, int[] keep, String layer) {
        ParamSlices.keepRows(params, SpectralParam.PHI_V.key(), keep);
        return fitRank(params);
    }

    /** Keeps rows {@code keep} of U; if fewer than r inputs remain, the rank shrinks to fit (see the class description). */
    @Override
    public PhiBlock sliceInputs(Map<String, INDArray> params, int[] keep, String layer) {
        ParamSlices.keepRows(params, SpectralParam.PHI_U.key(), keep);
        return fitRank(params);
    }

    /**
     * The block of the sliced factors. The slice {@code phi' = U V^T} of an nIn' x nOut' map has rank at most
     * {@code r' = min(nIn', nOut', r)}, so when a side has fewer than r rows, lowRank(r') represents it exactly and
     * the block is refactored to that rank (the layer would otherwise be invalid, r &gt; min(nIn, nOut)). If V is the
     * short side ([nOut', r], nOut' &lt; r): {@code V^T = Q R} (thin QR, Q [r, nOut'] with orthonormal columns, R
     * [nOut', nOut']), so {@code phi' = (U Q) R} and the new factors are {@code U' = U Q}, {@code V' = R^T}; likewise
     * {@code U' = R^T}, {@code V' = V Q} from {@code U^T = Q R} if U is short. phi' is unchanged up to rounding; the
     * rows of V' keep the norms of the kept rows of V (and those of U' of U). Householder QR in double precision,
     * which also handles dependent or zero rows. Unchanged factors when both sides keep at least r rows.
     */
    private PhiBlock fitRank(Map<String, INDArray> params) {
        INDArray u = params.get(SpectralParam.PHI_U.key());
        INDArray v = params.get(SpectralParam.PHI_V.key());
        if (Math.min(u.size(0), v.size(0)) >= u.size(1)) {
            return this;
        }
        boolean shortV = v.size(0) <= u.size(0);
        INDArray shortSide = shortV ? v : u;                                  // [m, r], m < r
        INDArray longSide = shortV ? u : v;
        double[][][] qr = thinQr(shortSide.castTo(DataType.DOUBLE).transpose().dup('c').toDoubleMatrix());   // of [r, m]
        INDArray q = Nd4j.createFromArray(qr[0]);                               // [r, m]
        INDArray rt = Nd4j.createFromArray(qr[1]).transpose();                  // R^T [m, m]
        INDArray projected = longSide.castTo(DataType.DOUBLE).mmul(q);          // [n, m]
        DataType type = u.dataType();
        params.put(shortV ? SpectralParam.PHI_U.key() : SpectralParam.PHI_V.key(), projected.castTo(type));
        params.put(shortV ? SpectralParam.PHI_V.key() : SpectralParam.PHI_U.key(), rt.castTo(type).dup());
        return new LowRankBlock((int) shortSide.size(0));
    }

    /**
     * Thin Householder QR of {@code a} [m, n], m &gt;= n: {Q [m, n] with orthonormal columns, R [n, n] upper
     * triangular} with {@code a = Q R}. A column that is zero (after the earlier reflections) gets no reflection and a
     * zero on R's diagonal, so rank-deficient input needs no special case.
     */
    private static double[][][] thinQr(double[][] a) {
        int m = a.length;
        int n = a[0].length;
        double[][] work = new double[m][];
        for (int i = 0; i < m; i++) {
            work[i] = a[i].clone();
        }
        double[][] reflectors = new double[n][];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm += work[i][k] * work[i][k];
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                continue;
            }
            double alpha = work[k][k] > 0 ? -norm : norm;
            double[] h = new double[m - k];
            for (int i = k; i < m; i++) {
                h[i - k] = work[i][k];
            }
            h[0] -= alpha;
            reflect(h, work, k, k, n);
            reflectors[k] = h;
        }
        double[][] q = new double[m][n];
        for (int j = 0; j < n; j++) {
            q[j][j] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            if (reflectors[k] != null) {
                reflect(reflectors[k], q, k, 0, n);
            }
        }
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                r[i][j] = work[i][j];
            }
        }
        return new double[][][]{q, r};
    }

    /** Applies {@code I - 2 h h^T / (h^T h)} to rows {@code from..} and columns {@code [c0, c1)} of {@code target}. */
    private static void reflect(double[] h, double[][] target, int from, int c0, int c1) {
        double hh = 0;
        for (double x : h) {
            hh += x * x;
        }
        if (hh == 0) {
            return;
        }
        for (int j = c0; j < c1; j++) {
            double dot = 0;
            for (int i = 0; i < h.length; i++) {
                dot += h[i] * target[from + i][j];
            }
            double f = 2 * dot / hh;
            for (int i = 0; i < h.length; i++) {
                target[from + i][j] -= f * h[i];
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LowRankBlock b && rank == b.rank;
    }

    @Override
    public int hashCode() {
        return Objects.hash("LOW_RANK", rank);
    }

    @Override
    public String toString() {
        return "LOW_RANK(" + rank + ")";
    }
}
