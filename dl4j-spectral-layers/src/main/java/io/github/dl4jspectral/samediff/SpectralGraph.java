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
 *                                           (phi * support for a SPARSE block)
 *   y = activation(x W + b)
 * </pre>
 * For a LOW_RANK block (phi = U V^T) the graph never forms W:
 * {@code x W = ((x * lambdaIn) U) V^T - ((x U) V^T) * lambdaOut}.
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
     * @param params     variables or constants keyed by {@link SpectralParam#key()}: phi [nIn, nOut] (or phiU
     *                   [nIn, r] and phiV [nOut, r]), lambdaIn [1, nIn], lambdaOut [1, nOut] and, if
     *                   {@code hasBias}, b [1, nOut]
     * @param support    the 0/1 support [nIn, nOut] of a SPARSE block, or {@code null}
     * @param outputName name of the output variable, or {@code null} for a generated one
     */
    public static SDVariable define(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable support,
                                    boolean hasBias, Activation activation, String outputName) {
        SDVariable lambdaIn = params.get(SpectralParam.LAMBDA_IN.key());
        SDVariable lambdaOut = params.get(SpectralParam.LAMBDA_OUT.key());
        SDVariable z;
        if (params.containsKey(SpectralParam.PHI_U.key())) {
            SDVariable u = params.get(SpectralParam.PHI_U.key());
            SDVariable v = params.get(SpectralParam.PHI_V.key());
            SDVariable p = input.mul(lambdaIn).mmul(u);
            SDVariable t = sd.mmul(input.mmul(u), v, false, true, false);
            z = sd.mmul(p, v, false, true, false).sub(t.mul(lambdaOut));
        } else {
            SDVariable phi = params.get(SpectralParam.PHI.key());
            if (support != null) {
                phi = phi.mul(support);
            }
            z = input.mmul(phi.mul(lambdaIn.reshape(-1, 1).sub(lambdaOut)));
        }
        if (hasBias) {
            z = z.add(params.get(SpectralParam.BIAS.key()));
        }
        return activation.asSameDiff(outputName, sd, z);
    }
}
