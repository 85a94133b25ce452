package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.conf.SpectralParam;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.Function;

/**
 * The parameter arrays of one spectral layer as used in one forward/backward pass.
 *
 * @param phi       eigenvector block [nIn, nOut] (after weight noise, if any)
 * @param lambdaIn  eigenvalues of the sending nodes [1, nIn]
 * @param lambdaOut eigenvalues of the receiving nodes [1, nOut]
 * @param bias      bias [1, nOut] (after weight noise, if any), or {@code null} without bias
 */
public record SpectralParams(INDArray phi, INDArray lambdaIn, INDArray lambdaOut, INDArray bias) {

    /**
     * Reads the parameters of a layer.
     *
     * @param withNoise the layer's parameter lookup with weight noise applied (used for phi and b)
     * @param plain     the plain parameter lookup (used for the eigenvalues)
     */
    static SpectralParams read(Function<String, INDArray> withNoise, Function<String, INDArray> plain, boolean hasBias) {
        return new SpectralParams(withNoise.apply(SpectralParam.PHI.key()), plain.apply(SpectralParam.LAMBDA_IN.key()),
                plain.apply(SpectralParam.LAMBDA_OUT.key()), hasBias ? withNoise.apply(SpectralParam.BIAS.key()) : null);
    }
}
