package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.blocks.PhiBlock;
import io.github.dl4jspectral.blocks.WholePhiBlock;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralParam;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.Function;

/**
 * The parameter arrays of one spectral layer as used in one forward/backward pass.
 *
 * @param block     the layer's eigenvector block
 * @param plain     the plain parameter lookup by key (the factors of a factored block are read here)
 * @param phi       phi [nIn, nOut] of a {@link WholePhiBlock} (after weight noise, if any), else {@code null}
 * @param support   the 0/1 support [nIn, nOut] of a whole phi that has one, else {@code null}
 * @param lambdaIn  eigenvalues of the sending nodes [1, nIn]
 * @param lambdaOut eigenvalues of the receiving nodes [1, nOut]
 * @param bias      bias [1, nOut] (after weight noise, if any), or {@code null} without bias
 */
public record SpectralParams(PhiBlock block, Function<String, INDArray> plain, INDArray phi, INDArray support,
                             INDArray lambdaIn, INDArray lambdaOut, INDArray bias) {

    /**
     * Reads the parameters of a layer.
     *
     * @param withNoise the layer's parameter lookup with weight noise applied (used for phi and b)
     * @param plain     the plain parameter lookup (used for the factors and the eigenvalues)
     */
    static SpectralParams read(SpectralLayerConfig conf, Function<String, INDArray> withNoise,
                               Function<String, INDArray> plain) {
        PhiBlock block = conf.spec().block();
        INDArray lambdaIn = plain.apply(SpectralParam.LAMBDA_IN.key());
        INDArray lambdaOut = plain.apply(SpectralParam.LAMBDA_OUT.key());
        INDArray bias = conf.hasBias() ? withNoise.apply(SpectralParam.BIAS.key()) : null;
        INDArray phi = null;
        INDArray support = null;
        if (block instanceof WholePhiBlock whole) {
            phi = withNoise.apply(SpectralParam.PHI.key());
            support = whole.support(conf.getNIn(), conf.getNOut(), phi.dataType());
        }
        return new SpectralParams(block, plain, phi, support, lambdaIn, lambdaOut, bias);
    }

    /** These parameters with phi replaced by {@code newPhi} and no support (for a phi formed elsewhere). */
    SpectralParams withPhi(INDArray newPhi) {
        return new SpectralParams(block, plain, newPhi, null, lambdaIn, lambdaOut, bias);
    }
}
