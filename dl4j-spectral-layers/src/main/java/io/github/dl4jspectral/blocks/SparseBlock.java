package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.conf.EigenvectorBlock;
import io.github.dl4jspectral.conf.SparseSupport;
import io.github.dl4jspectral.conf.SpectralInit;
import io.github.dl4jspectral.conf.SpectralParam;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * phi with a fixed random support ({@link EigenvectorBlock#sparse(double, long)}): entry (j, i) exists when
 * {@link SparseSupport} keeps it for (nIn, nOut, density, seed); outside it phi, W and the gradient of phi are
 * exactly zero through any training. Only the kept entries count as trainable. Initialized like a dense phi,
 * then masked and, in the variance-matched mode, divided by sqrt(density) so that each node's summed input
 * keeps the dense layer's variance. The support is defined by the shape and seed, so it cannot be sliced.
 */
public final class SparseBlock extends WholePhiBlock {

    private final SparseSupport.Holder support = new SparseSupport.Holder();

    public SparseBlock(EigenvectorBlock config) {
        super(config);
    }

    @Override
    public void validate(String layer, long nIn, long nOut) {
        double density = config().getDensity();
        if (!(density > 0 && density <= 1)) {
            throw new DL4JInvalidConfigException(layer + ": sparse density = " + density + "; expected 0 < density <= 1");
        }
    }

    @Override
    public long trainedSize(SpectralParam group, long nIn, long nOut) {
        return SparseSupport.count(nIn, nOut, config().getDensity(), config().getSeed());
    }

    @Override
    public INDArray support(long nIn, long nOut, DataType type) {
        return support.get(nIn, nOut, config().getDensity(), config().getSeed(), type);
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
        phi.muli(SparseSupport.mask(nIn, nOut, config().getDensity(), config().getSeed(), phi.dataType()));
        if (init.init().getMode() == SpectralInit.Mode.VARIANCE_MATCHED) {
            phi.divi(Math.sqrt(config().getDensity()));
        }
    }

    @Override
    public EigenvectorBlock sliceOutputs(Map<String, INDArray> params, int[] keep, String layer) {
        throw unsliceable(layer);
    }

    @Override
    public EigenvectorBlock sliceInputs(Map<String, INDArray> params, int[] keep, String layer) {
        throw unsliceable(layer);
    }

    private IllegalArgumentException unsliceable(String layer) {
        return new IllegalArgumentException("Pruner: layer \"" + layer + "\" has a " + config() + " block, whose support "
                + "is defined by its shape and seed and cannot be sliced; expected a block that can be sliced (DENSE, "
                + "LOW_RANK, SVD or QR)");
    }
}
