package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.conf.SpectralParam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonTypeName;

import java.util.Map;

/**
 * phi as one dense [nIn, nOut] parameter, key {@code phi} (the default block): {@code nIn * nOut} numbers, drawn by
 * the layer's WeightInit (or the uniform range of {@code SpectralInit.uniform}). No settings; all instances are equal.
 */
@JsonTypeName("DENSE")
public final class DenseBlock extends WholePhiBlock {

    private static final DenseBlock INSTANCE = new DenseBlock();

    @JsonCreator
    private DenseBlock() {
    }

    /** The dense block. */
    public static DenseBlock dense() {
        return INSTANCE;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of();
    }

    @Override
    public void validate(String layer, long nIn, long nOut) {
        // any size
    }

    @Override
    public INDArray support(long nIn, long nOut, DataType type) {
        return null;
    }

    @Override
    protected long supportElements(long nIn, long nOut) {
        return 0;
    }

    @Override
    public void initialize(PhiInit init, Map<String, INDArray> params, long nIn, long nOut) {
        init.drawPhi(params.get(SpectralParam.PHI.key()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseBlock;
    }

    @Override
    public int hashCode() {
        return 1;
    }

    @Override
    public String toString() {
        return "DENSE";
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
