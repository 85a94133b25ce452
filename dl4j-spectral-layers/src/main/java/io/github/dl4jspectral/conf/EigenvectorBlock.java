package io.github.dl4jspectral.conf;

import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.io.Serializable;
import java.util.Objects;

/**
 * How the eigenvector block phi (nIn x nOut) of a spectral layer is stored (SPEC sections 3 and 4).
 * Immutable.
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
 * </ul>
 */
public final class EigenvectorBlock implements Serializable {

    /** The storage of phi. */
    public enum Type { DENSE, LOW_RANK, SPARSE }

    private static final EigenvectorBlock DENSE = new EigenvectorBlock(Type.DENSE, 0, 1.0, 0);

    private final Type type;
    private final int rank;
    private final double density;
    private final long seed;

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
     * Checks r and density.
     *
     * @param nIn  0 while not yet known (then r is checked against nOut only)
     */
    void validate(String layer, long nIn, long nOut) {
        if (type == Type.LOW_RANK) {
            long max = nIn > 0 ? Math.min(nIn, nOut) : nOut;
            if (rank < 1 || rank > max) {
                throw new DL4JInvalidConfigException(layer + ": lowRank r = " + rank + "; expected 1 <= r <= min(nIn, nOut) = "
                        + (nIn > 0 ? max : "min(?, " + nOut + ")"));
            }
        }
        if (type == Type.SPARSE && !(density > 0 && density <= 1)) {
            throw new DL4JInvalidConfigException(layer + ": sparse density = " + density + "; expected 0 < density <= 1");
        }
    }

    public Type getType() {
        return type;
    }

    /** The rank r of a LOW_RANK block (0 otherwise). */
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

    public boolean isLowRank() {
        return type == Type.LOW_RANK;
    }

    public boolean isSparse() {
        return type == Type.SPARSE;
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
        };
    }
}
