package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.conf.SpectralParam;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.annotation.JsonTypeName;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * phi with a fixed random support, key {@code phi} [nIn, nOut]: entry (j, i) exists when {@link SparseSupport} keeps it
 * for (nIn, nOut, density, seed) (the same support after saving and restoring, on any backend); outside it phi, W and
 * the gradient of phi are exactly zero through any training. Only the kept entries count as trainable. Initialized
 * like a dense phi, then masked and, in the variance-matched mode, divided by sqrt(density) so that each node's summed
 * input keeps the dense layer's variance. The support is defined by the shape and seed, so it cannot be sliced.
 * JSON: {@code {"type": "SPARSE", "density": d, "seed": s}}.
 */
@JsonTypeName("SPARSE")
public final class SparseBlock extends WholePhiBlock {

    private final double density;
    private final long seed;
    /** The support of the layers of this block, kept while the block lives. */
    private transient volatile SparseSupport.Holder support;

    /**
     * phi with a fixed random support of {@code density} (0 &lt; density &lt;= 1, checked when the layer is built),
     * reproducible from {@code seed}.
     */
    @JsonCreator
    public SparseBlock(@JsonProperty("density") double density, @JsonProperty("seed") long seed) {
        this.density = density;
        this.seed = seed;
    }

    /** The fraction of phi's entries kept. */
    public double density() {
        return density;
    }

    /** The seed of the support. */
    public long seed() {
        return seed;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("density", density);
        properties.put("seed", seed);
        return properties;
    }

    @Override
    public void validate(String layer, long nIn, long nOut) {
        if (!(density > 0 && density <= 1)) {
            throw new DL4JInvalidConfigException(layer + ": sparse density = " + density + "; expected 0 < density <= 1");
        }
    }

    @Override
    public long trainedSize(SpectralParam group, long nIn, long nOut) {
        return SparseSupport.count(nIn, nOut, density, seed);
    }

    @Override
    public INDArray support(long nIn, long nOut, DataType type) {
        SparseSupport.Holder holder = support;
        if (holder == null) {
            synchronized (this) {
                holder = support;
                if (holder == null) {
                    holder = new SparseSupport.Holder();
                    support = holder;
                }
            }
        }
        return holder.get(nIn, nOut, density, seed, type);
    }

    /** The support [nIn, nOut], cached in the layer's data type for as long as the layer is used. */
    @Override
    protected long supportElements(long nIn, long nOut) {
        return nIn * nOut;
    }

    @Override
    public void initialize(PhiInit init, Map<String, INDArray> params, long nIn, long nOut) {
        INDArray phi = params.get(SpectralParam.PHI.key());
        init.drawPhi(phi);
        phi.muli(SparseSupport.mask(nIn, nOut, density, seed, phi.dataType()));
        if (init.varianceMatched()) {
            phi.divi(Math.sqrt(density));
        }
    }

    @Override
    public PhiBlock sliceOutputs(Map<String, INDArray> params, int[] keep, String layer) {
        throw unsliceable(layer);
    }

    @Override
    public PhiBlock sliceInputs(Map<String, INDArray> params, int[] keep, String layer) {
        throw unsliceable(layer);
    }

    private IllegalArgumentException unsliceable(String layer) {
        return new IllegalArgumentException("Pruner: layer \"" + layer + "\" has a " + this + " block, whose support "
                + "is defined by its shape and seed and cannot be sliced; expected a block that can be sliced (DENSE, "
                + "LOW_RANK, SVD or QR)");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseBlock b && Double.compare(density, b.density) == 0 && seed == b.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(density, seed);
    }

    @Override
    public String toString() {
        return "SPARSE(" + density + ", seed " + seed + ")";
    }
}
