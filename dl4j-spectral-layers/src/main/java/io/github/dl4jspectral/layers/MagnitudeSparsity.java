package io.github.dl4jspectral.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The magnitude rule of the Phys. Rev. E 2021 sparse networks: at every forward pass a map keeps only its
 * largest-magnitude effective weights.
 *
 * <p>Exact semantics, the same in the native layer, the SameDiff graph and export:
 * <ul>
 *   <li>of the {@code n = nIn * nOut} entries of W, {@code m = round(fraction * n)} are to be zeroed
 *       ({@link Math#round}: halves round up);</li>
 *   <li>the threshold {@code t} is the m-th smallest |W| (in W's own data type, compared in double, which is exact
 *       for float and double); an entry is kept if and only if {@code |W| > t} (strict, as the authors'
 *       {@code where(abs(W) > percentile, W, 0)}); m = 0 keeps every entry;</li>
 *   <li>so the fraction of zeros is exactly m / n unless several entries tie at |W| = t, when all of them go
 *       (ties are measure-zero for trained weights, but exact zeros in W, e.g. from a sparse phi, count);</li>
 *   <li>t is recomputed from the current parameters at every forward pass; within a pass the mask is a constant:
 *       zeroed entries pass no gradient to W, and none flows through t. Because phi and the eigenvalues are
 *       shared by many entries, an entry zeroed now can return when they move.</li>
 * </ul>
 * The threshold is found by selection (a sampled bracket, then quickselect: expected O(n), about one pass) on a
 * host copy of |W|, never by sorting.
 */
public final class MagnitudeSparsity {

    private MagnitudeSparsity() {
    }

    /** How many of {@code entries} weights are zeroed: {@code round(fraction * entries)}. */
    public static long zeros(long entries, double fraction) {
        return Math.round(fraction * entries);
    }

    /**
     * Writes the 0/1 mask of {@code w} into {@code mask} (same shape, W's data type): 1 where |W| exceeds the
     * threshold, 0 elsewhere, and returns the threshold: {@code known} if it is a number (the one an earlier pass
     * computed from the same parameters), else the m-th smallest |W| (-infinity when m = 0: every entry kept).
     */
    public static double mask(INDArray w, double fraction, double known, INDArray mask) {
        Nd4j.getExecutioner().exec(new Abs(w, mask));
        double threshold = Double.isNaN(known) ? thresholdOfMagnitudes(mask, fraction) : known;
        if (threshold == Double.NEGATIVE_INFINITY) {
            mask.assign(1);
        } else {
            Nd4j.getExecutioner().exec(new Step(mask, mask, threshold));
        }
        return threshold;
    }

    /** The threshold t of {@code w}: the m-th smallest |W|, or -infinity when m = 0 (every entry kept). */
    public static double threshold(INDArray w, double fraction) {
        return thresholdOfMagnitudes(Transforms.abs(w, true), fraction);
    }

    private static double thresholdOfMagnitudes(INDArray magnitudes, double fraction) {
        long m = zeros(magnitudes.length(), fraction);
        if (m == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return select(hostCopy(magnitudes), (int) (m - 1));
    }

    /** The values of {@code a} in any order, as doubles (straight from its buffer when it owns all of it). */
    private static double[] hostCopy(INDArray a) {
        boolean wholeBuffer = a.offset() == 0 && a.data().length() == a.length() && !a.isView();
        return wholeBuffer ? a.data().asDouble() : a.reshape(a.ordering(), new long[]{a.length()}).toDoubleVector();
    }

    /** Below this many values {@link #select} goes straight to quickselect. */
    private static final int SAMPLED = 1 << 13;

    /**
     * The k-th smallest value (0-based) of {@code values}, which it may reorder. Exact. For large arrays, one pass
     * first: a strided sample of {@value #SAMPLED} values brackets the k-th smallest between two of its quantiles,
     * and only the values inside the bracket are kept for the quickselect (Floyd and Rivest's idea); if the bracket
     * missed, it falls back to quickselect over everything.
     */
    static double select(double[] values, int k) {
        int n = values.length;
        if (n <= 4 * SAMPLED) {
            return quickselect(values, k, n);
        }
        double[] sample = new double[SAMPLED];
        long stride = n / SAMPLED;
        for (int i = 0; i < SAMPLED; i++) {
            sample[i] = values[(int) (i * stride)];
        }
        int at = (int) ((long) k * SAMPLED / n);
        int margin = (int) (3 * Math.sqrt(SAMPLED));
        double low = at - margin >= 0 ? quickselect(sample.clone(), at - margin, SAMPLED) : Double.NEGATIVE_INFINITY;
        double high = at + margin < SAMPLED ? quickselect(sample, at + margin, SAMPLED) : Double.POSITIVE_INFINITY;
        int below = 0;
        int inside = 0;
        double[] bracket = new double[Math.max(16, 8 * margin * (n / SAMPLED))];
        for (double v : values) {
            if (v < low) {
                below++;
            } else if (v <= high) {
                if (inside == bracket.length) {
                    return quickselect(values, k, n);   // the bracket holds too many: the sample misled
                }
                bracket[inside++] = v;
            }
        }
        if (k < below || k >= below + inside) {
            return quickselect(values, k, n);
        }
        return quickselect(bracket, k - below, inside);
    }

    /** The k-th smallest of the first {@code n} values, which it reorders. Hoare quickselect, median of three. */
    private static double quickselect(double[] values, int k, int n) {
        int lo = 0, hi = n - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            double a = values[lo], b = values[mid], c = values[hi];
            double pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
            int i = lo, j = hi;
            while (i <= j) {
                while (values[i] < pivot) {
                    i++;
                }
                while (values[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = values[i];
                    values[i] = values[j];
                    values[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return values[k];
            }
        }
        return values[k];
    }
}
