package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.conf.EigenvectorBlock;
import io.github.dl4jspectral.conf.SparseSupport;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralParam;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.Function;

/**
 * The parameter arrays of one spectral layer as used in one forward/backward pass.
 *
 * @param phi       eigenvector block [nIn, nOut] (after weight noise, if any); {@code null} for LOW_RANK
 * @param phiU      left factor [nIn, r] of a LOW_RANK block, else {@code null}
 * @param phiV      right factor [nOut, r] of a LOW_RANK block, else {@code null}
 * @param lambdaIn  eigenvalues of the sending nodes [1, nIn]
 * @param lambdaOut eigenvalues of the receiving nodes [1, nOut]
 * @param bias      bias [1, nOut] (after weight noise, if any), or {@code null} without bias
 * @param support   the 0/1 support [nIn, nOut] of a SPARSE block, else {@code null}
 */
public record SpectralParams(INDArray phi, INDArray phiU, INDArray phiV, INDArray lambdaIn, INDArray lambdaOut,
                             INDArray bias, INDArray support) {

    /**
     * Reads the parameters of a layer.
     *
     * @param withNoise the layer's parameter lookup with weight noise applied (used for phi and b)
     * @param plain     the plain parameter lookup (used for the factors and the eigenvalues)
     */
    static SpectralParams read(SpectralLayerConfig conf, Function<String, INDArray> withNoise,
                               Function<String, INDArray> plain) {
        EigenvectorBlock block = conf.getSpectral().getBlock();
        INDArray lambdaIn = plain.apply(SpectralParam.LAMBDA_IN.key());
        INDArray bias = conf.hasBias() ? withNoise.apply(SpectralParam.BIAS.key()) : null;
        if (block.isLowRank()) {
            return new SpectralParams(null, plain.apply(SpectralParam.PHI_U.key()), plain.apply(SpectralParam.PHI_V.key()),
                    lambdaIn, plain.apply(SpectralParam.LAMBDA_OUT.key()), bias, null);
        }
        INDArray phi = withNoise.apply(SpectralParam.PHI.key());
        INDArray support = block.isSparse()
                ? SparseSupport.cachedMask(conf.getNIn(), conf.getNOut(), block.getDensity(), block.getSeed(), phi.dataType())
                : null;
        return new SpectralParams(phi, null, null, lambdaIn, plain.apply(SpectralParam.LAMBDA_OUT.key()), bias, support);
    }
}
