package io.github.dl4jspectral.samediff;

import io.github.dl4jspectral.conf.SpectralParam;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The SameDiff graph of one spectral map, used by both {@link SameDiffSpectralDenseLayer} (inside a DL4J
 * network) and {@link SpectralOps} (inside a user's SameDiff graph):
 * <pre>
 *   W = phi * (lambdaIn^T - lambdaOut)      [nIn, nOut], by broadcasting [nIn, 1] - [1, nOut]
 *   y = activation(x W + b)
 * </pre>
 * SameDiff differentiates it automatically; the native layer's hand-written backward pass implements
 * the same derivatives (SPEC section 2).
 */
public final class SpectralGraph {

    /** Activations whose SameDiff form ({@link Activation#asSameDiff}) equals DL4J's native one. */
    public static final Set<Activation> SUPPORTED_ACTIVATIONS = EnumSet.of(Activation.IDENTITY, Activation.TANH,
            Activation.SIGMOID, Activation.RELU, Activation.SOFTMAX, Activation.SOFTPLUS, Activation.SOFTSIGN,
            Activation.ELU, Activation.CUBE, Activation.HARDTANH);

    private SpectralGraph() {
    }

    /**
     * Adds the map to {@code sd}.
     *
     * @param params     variables or constants keyed by {@link SpectralParam#key()}: phi [nIn, nOut],
     *                   lambdaIn [1, nIn], lambdaOut [1, nOut] and, if {@code hasBias}, b [1, nOut]
     * @param outputName name of the output variable, or {@code null} for a generated one
     */
    public static SDVariable define(SameDiff sd, SDVariable input, Map<String, SDVariable> params, boolean hasBias,
                                    Activation activation, String outputName) {
        SDVariable phi = params.get(SpectralParam.PHI.key());
        SDVariable lambdaIn = params.get(SpectralParam.LAMBDA_IN.key());
        SDVariable lambdaOut = params.get(SpectralParam.LAMBDA_OUT.key());
        SDVariable difference = lambdaIn.reshape(-1, 1).sub(lambdaOut);
        SDVariable z = input.mmul(phi.mul(difference));
        if (hasBias) {
            z = z.add(params.get(SpectralParam.BIAS.key()));
        }
        return activation.asSameDiff(outputName, sd, z);
    }
}
