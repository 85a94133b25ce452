package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.conf.EigenvectorBlock;
import io.github.dl4jspectral.conf.SpectralParam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * phi as one dense [nIn, nOut] parameter ({@link EigenvectorBlock#dense()}, the default): {@code nIn * nOut}
 * numbers, drawn by the layer's WeightInit (or the uniform range of {@code SpectralInit.uniform}).
 */
public final class DenseBlock extends WholePhiBlock {

    public DenseBlock(EigenvectorBlock config) {
        super(config);
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
}
