package io.github.dl4jspectral.conf;

import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.io.Serializable;
import java.util.Objects;

/**
 * How a spectral layer draws its initial eigenvector block {@code phi} and eigenvalues
 * (docs/METHOD.md section 7). Immutable.
 *
 * <ul>
 *   <li>{@link #varianceMatched()} (default): phi is drawn from the distribution of the layer's DL4J
 *       {@code WeightInit}, the one a DenseLayer draws W from (with the layer's seeded plain-Java generator, see
 *       {@link io.github.dl4jspectral.blocks.SeededDraws}), and the eigenvalues are independent zero-mean uniform draws
 *       with {@code Var(lambdaIn) + Var(lambdaOut) = 1}. For independent zero-mean draws
 *       {@code Var(W) = Var(phi) * (Var(lambdaIn) + Var(lambdaOut)) = Var(phi)}, so the effective
 *       weights have the variance the WeightInit would give a DenseLayer, and swapping DenseLayer for
 *       SpectralDenseLayer trains without retuning. Eigenvalues are uniform in +-sqrt(3/2); when
 *       lambdaIn is pinned at 0 (preset EIGENVALUES_OUT), lambdaOut is uniform in +-sqrt(3).</li>
 *   <li>{@link #denseEquivalent()}: phi by the WeightInit, lambdaIn = 0, lambdaOut = 1, so the
 *       initial layer is an ordinary dense one with W = -phi (the newest reference code).</li>
 *   <li>{@link #paper()} / {@link #uniform}: phi, lambdaIn and lambdaOut uniform in fixed,
 *       configurable ranges (the reference implementations: phi in +-0.2, eigenvalues in +-0.5).</li>
 *   <li>{@link #authorsSvd()}: the Phys. Rev. E authors' S-SVD start (SVD block only): lambdaIn = 0,
 *       lambdaOut = 1, factors N(0, 0.04), singular values U(0, 3); {@link #authorsSvd(double, double, double, double)}
 *       with other eigenvalue ranges.</li>
 *   <li>{@link #weightInitPhi}: phi by the WeightInit, eigenvalues uniform in given ranges (the authors' QR layer:
 *       phi normal, eigenvalues in +-0.97 and +-0.13).</li>
 * </ul>
 * Each block draws its own groups from these (see {@link io.github.dl4jspectral.blocks}): a factored block
 * matches the variance of a dense phi through its factors.
 *
 * The bias is always initialized to the layer's {@code biasInit} (0 by default). A lambdaIn pinned at
 * 0 by its preset stays 0 whatever the mode. Ranges are checked when the layer is built.
 */
public final class SpectralInit implements Serializable {

    /** The initialization scheme. */
    public enum Mode {
        VARIANCE_MATCHED, DENSE_EQUIVALENT, UNIFORM, AUTHORS_SVD, WEIGHT_INIT_PHI;

        /** Whether the eigenvalues are drawn uniform in the configured ranges (else fixed by the mode). */
        public boolean eigenvaluesInRanges() {
            return this == UNIFORM || this == AUTHORS_SVD || this == WEIGHT_INIT_PHI;
        }
    }

    private static final SpectralInit VARIANCE_MATCHED = new SpectralInit(Mode.VARIANCE_MATCHED, 0, 0, 0, 0, 0, 0);
    private static final SpectralInit DENSE_EQUIVALENT = new SpectralInit(Mode.DENSE_EQUIVALENT, 0, 0, 0, 0, 0, 0);
    private static final SpectralInit AUTHORS_SVD = new SpectralInit(Mode.AUTHORS_SVD, 0, 0, 0, 0, 1, 1);

    private final Mode mode;
    private final double phiMin;
    private final double phiMax;
    private final double lambdaInMin;
    private final double lambdaInMax;
    private final double lambdaOutMin;
    private final double lambdaOutMax;

    @JsonCreator
    private SpectralInit(@JsonProperty("mode") Mode mode,
                         @JsonProperty("phiMin") double phiMin, @JsonProperty("phiMax") double phiMax,
                         @JsonProperty("lambdaInMin") double lambdaInMin, @JsonProperty("lambdaInMax") double lambdaInMax,
                         @JsonProperty("lambdaOutMin") double lambdaOutMin, @JsonProperty("lambdaOutMax") double lambdaOutMax) {
        this.mode = mode == null ? Mode.VARIANCE_MATCHED : mode;
        this.phiMin = phiMin;
        this.phiMax = phiMax;
        this.lambdaInMin = lambdaInMin;
        this.lambdaInMax = lambdaInMax;
        this.lambdaOutMin = lambdaOutMin;
        this.lambdaOutMax = lambdaOutMax;
    }

    /** The default: effective weights with the variance of the layer's WeightInit. */
    public static SpectralInit varianceMatched() {
        return VARIANCE_MATCHED;
    }

    /** phi by the layer's WeightInit, lambdaIn = 0, lambdaOut = 1: the layer starts as a dense one. */
    public static SpectralInit denseEquivalent() {
        return DENSE_EQUIVALENT;
    }

    /**
     * The Phys. Rev. E authors' S-SVD initialization, for the {@link io.github.dl4jspectral.blocks.SvdBlock} block only:
     * lambdaIn = 0, lambdaOut = 1 (the layer starts as W = -phi), factors A and B ~ N(0, 0.04), singular values
     * s ~ U(0, 3).
     */
    public static SpectralInit authorsSvd() {
        return AUTHORS_SVD;
    }

    /**
     * The authors' S-SVD factors (A, B ~ N(0, 0.04), s ~ U(0, 3); SVD block only) with the eigenvalues uniform in
     * the given closed ranges (the authors' layer default is lambdaIn in +-0.97, lambdaOut in +-0.13).
     */
    public static SpectralInit authorsSvd(double lambdaInMin, double lambdaInMax, double lambdaOutMin, double lambdaOutMax) {
        return new SpectralInit(Mode.AUTHORS_SVD, 0, 0, lambdaInMin, lambdaInMax, lambdaOutMin, lambdaOutMax);
    }

    /**
     * phi by the layer's DL4J WeightInit (any distribution DL4J offers, e.g. a normal of a given deviation), the
     * eigenvalues uniform in the given closed ranges.
     */
    public static SpectralInit weightInitPhi(double lambdaInMin, double lambdaInMax, double lambdaOutMin,
                                             double lambdaOutMax) {
        return new SpectralInit(Mode.WEIGHT_INIT_PHI, 0, 0, lambdaInMin, lambdaInMax, lambdaOutMin, lambdaOutMax);
    }

    /** The reference implementations' ranges: phi uniform in [-0.2, 0.2], eigenvalues in [-0.5, 0.5]. */
    public static SpectralInit paper() {
        return paper(0.2, 0.5);
    }

    /** phi uniform in [-phiRange, phiRange], both eigenvalue sets uniform in [-eigenvalueRange, eigenvalueRange]. */
    public static SpectralInit paper(double phiRange, double eigenvalueRange) {
        return uniform(-phiRange, phiRange, -eigenvalueRange, eigenvalueRange, -eigenvalueRange, eigenvalueRange);
    }

    /** Each group uniform in its own closed range [min, max] (min == max gives a constant). */
    public static SpectralInit uniform(double phiMin, double phiMax, double lambdaInMin, double lambdaInMax,
                                       double lambdaOutMin, double lambdaOutMax) {
        return new SpectralInit(Mode.UNIFORM, phiMin, phiMax, lambdaInMin, lambdaInMax, lambdaOutMin, lambdaOutMax);
    }

    /**
     * Checks the ranges of a mode that has them.
     *
     * @param layer the layer's description for the message, e.g. {@code SpectralDenseLayer "hidden"}
     * @throws DL4JInvalidConfigException naming the layer, the field and the expected value
     */
    void validate(String layer) {
        if (!mode.eigenvaluesInRanges()) {
            return;
        }
        if (mode == Mode.UNIFORM) {
            checkRange(layer, "phi", phiMin, phiMax);
        }
        checkRange(layer, "lambdaIn", lambdaInMin, lambdaInMax);
        checkRange(layer, "lambdaOut", lambdaOutMin, lambdaOutMax);
    }

    private static void checkRange(String layer, String group, double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new DL4JInvalidConfigException(layer + ": init." + group + "Min/" + group + "Max = [" + min + ", "
                    + max + "]; expected finite numbers");
        }
        if (min > max) {
            throw new DL4JInvalidConfigException(layer + ": init." + group + "Min = " + min + " > init." + group
                    + "Max = " + max + "; expected " + group + "Min <= " + group + "Max");
        }
    }

    public Mode getMode() {
        return mode;
    }

    public double getPhiMin() {
        return phiMin;
    }

    public double getPhiMax() {
        return phiMax;
    }

    public double getLambdaInMin() {
        return lambdaInMin;
    }

    public double getLambdaInMax() {
        return lambdaInMax;
    }

    public double getLambdaOutMin() {
        return lambdaOutMin;
    }

    public double getLambdaOutMax() {
        return lambdaOutMax;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpectralInit s && mode == s.mode
                && phiMin == s.phiMin && phiMax == s.phiMax
                && lambdaInMin == s.lambdaInMin && lambdaInMax == s.lambdaInMax
                && lambdaOutMin == s.lambdaOutMin && lambdaOutMax == s.lambdaOutMax;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, phiMin, phiMax, lambdaInMin, lambdaInMax, lambdaOutMin, lambdaOutMax);
    }

    @Override
    public String toString() {
        String ranges = "lambdaIn=[" + lambdaInMin + ", " + lambdaInMax + "], lambdaOut=[" + lambdaOutMin + ", "
                + lambdaOutMax + "]";
        return switch (mode) {
            case UNIFORM -> "UNIFORM(phi=[" + phiMin + ", " + phiMax + "], " + ranges + ")";
            case AUTHORS_SVD, WEIGHT_INIT_PHI -> mode.name() + "(" + ranges + ")";
            default -> mode.name();
        };
    }
}
