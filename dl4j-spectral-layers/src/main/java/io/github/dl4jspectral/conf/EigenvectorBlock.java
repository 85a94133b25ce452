package io.github.dl4jspectral.conf;

import io.github.dl4jspectral.blocks.DenseBlock;
import io.github.dl4jspectral.blocks.LowRankBlock;
import io.github.dl4jspectral.blocks.PhiBlock;
import io.github.dl4jspectral.blocks.QrBlock;
import io.github.dl4jspectral.blocks.SparseBlock;
import io.github.dl4jspectral.blocks.SvdBlock;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.io.Serializable;
import java.util.Objects;

/**
 * How the eigenvector block phi (nIn x nOut) of a spectral layer is stored (docs/METHOD.md sections 3 and 4): the
 * configuration value, serialized in the layer's JSON. Immutable. What each kind computes is its
 * {@link #layout()} ({@link io.github.dl4jspectral.blocks}).
 *
 * <ul>
 *   <li>{@link #dense()} (default): phi is one nIn x nOut parameter, key {@code phi}.</li>
 *   <li>{@link #lowRank(int)}: {@code phi = U V^T} with {@code phiU} [nIn, r] and {@code phiV} [nOut, r], so
 *       phi costs r (nIn + nOut) numbers. Then {@code x W = ((x .* lambdaIn) U) V^T - ((x U) V^T) .* lambdaOut}
 *       and the layer never builds an nIn x nOut matrix: forward and backward cost O(batch r (nIn + nOut)).
 *       The factors are trained or frozen together, like phi.</li>
 *   <li>{@link #sparse(double, long)}: phi keeps a fixed random support, each entry with probability
 *       {@code density}, drawn from {@code seed} by {@link SparseSupport} (the same support after saving and
 *       restoring, on any backend). Entries outside the support are exactly zero in phi and W through any
 *       training; their gradient is masked.</li>
 *   <li>{@link #svd()}: the Phys. Rev. E 2021 S-SVD block, {@code phi = A diag(s) B^T} with trained s.</li>
 *   <li>{@link #qr()}: the Phys. Rev. E 2021 QR block, {@code phi^T = R Q} with trained R.</li>
 * </ul>
 */
public final class EigenvectorBlock implements Serializable {

    /** The storage of phi. */
    public enum Type { DENSE, LOW_RANK, SPARSE, SVD, QR }

    private static final EigenvectorBlock DENSE = new EigenvectorBlock(Type.DENSE, 0, 1.0, 0);

    private final Type type;
    private final int rank;
    private final double density;
    private final long seed;
    /** The layout, made once per block value (a SPARSE layout keeps its support for the layers of this block). */
    @JsonIgnore
    private transient volatile PhiBlock layout;

    @JsonCreator
    private EigenvectorBlock(@JsonProperty("type") Type type, @JsonProperty("rank") int rank,
                             @JsonProperty("density") double density, @JsonProperty("seed") long seed) {
        this.type = type == null ? Type.DENSE : type;
        this.rank = rank;
        this.density = density;
        this.seed = seed;
    }

    /** phi as one dense nIn x nOut parameter. */
    public static EigenvectorBlock dense() {
        return DENSE;
    }

    /** phi = U V^T of rank {@code r}, 1 &lt;= r &lt;= min(nIn, nOut) (checked when the layer is built). */
    public static EigenvectorBlock lowRank(int r) {
        return new EigenvectorBlock(Type.LOW_RANK, r, 1.0, 0);
    }

    /** phi with a fixed random support of the given density in (0, 1], reproducible from {@code seed}. */
    public static EigenvectorBlock sparse(double density, long seed) {
        return new EigenvectorBlock(Type.SPARSE, 0, density, seed);
    }

    /**
     * The Phys. Rev. E 2021 S-SVD block: phi = A diag(s) B^T, A [nIn, k] and B [nOut, k] fixed random factors, the
     * singular values s [1, k] trained with the eigenvector block, k = min(nIn, nOut). See {@link SvdBlock}.
     */
    public static EigenvectorBlock svd() {
        return new EigenvectorBlock(Type.SVD, 0, 1.0, 0);
    }

    /**
     * The Phys. Rev. E 2021 QR block: phi^T = R Q, Q [k, nIn] fixed with orthonormal rows, R [nOut, k] trained with
     * the eigenvector block, k = min(nIn, nOut), phi starting as the WeightInit's draw. See {@link QrBlock}.
     */
    public static EigenvectorBlock qr() {
        return new EigenvectorBlock(Type.QR, 0, 1.0, 0);
    }

    /**
     * This block with its width pinned at {@code k} instead of min(nIn, nOut) (SVD, QR; LOW_RANK's r): what a
     * pruned layer keeps, since slicing nodes does not change the factors' width.
     */
    public EigenvectorBlock withRank(int k) {
        return new EigenvectorBlock(type, k, density, seed);
    }

    /**
     * The layout of this block: its groups, shapes, initialization, product with phi, slicing and phi itself.
     * Everything that differs between block kinds is answered there.
     */
    public PhiBlock layout() {
        PhiBlock made = layout;
        if (made == null) {
            made = switch (type) {
                case DENSE -> new DenseBlock(this);
                case LOW_RANK -> new LowRankBlock(this);
                case SPARSE -> new SparseBlock(this);
                case SVD -> new SvdBlock(this);
                case QR -> new QrBlock(this);
            };
            layout = made;
        }
        return made;
    }

    /**
     * Checks the block's settings (r, density) against the map's size.
     *
     * @param nIn  0 while not yet known
     */
    void validate(String layer, long nIn, long nOut) {
        layout().validate(layer, nIn, nOut);
    }

    public Type getType() {
        return type;
    }

    /** The rank r of a LOW_RANK block; the explicit width k of an SVD or QR block (0: min(nIn, nOut)); else 0. */
    public int getRank() {
        return rank;
    }

    /** The fraction of phi's entries kept by a SPARSE block (1 otherwise). */
    public double getDensity() {
        return density;
    }

    /** The seed of a SPARSE block's support. */
    public long getSeed() {
        return seed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EigenvectorBlock b && type == b.type && rank == b.rank
                && Double.compare(density, b.density) == 0 && seed == b.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, rank, density, seed);
    }

    @Override
    public String toString() {
        return switch (type) {
            case DENSE -> "DENSE";
            case LOW_RANK -> "LOW_RANK(" + rank + ")";
            case SPARSE -> "SPARSE(" + density + ", seed " + seed + ")";
            case SVD -> rank > 0 ? "SVD(k " + rank + ")" : "SVD";
            case QR -> rank > 0 ? "QR(k " + rank + ")" : "QR";
        };
    }
}
