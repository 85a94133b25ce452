package io.github.dl4jspectral.samediff;

import io.github.dl4jspectral.blocks.FactoredBlock;
import io.github.dl4jspectral.blocks.PhiBlock;
import io.github.dl4jspectral.blocks.WholePhiBlock;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.layers.MagnitudeSparsity;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The SameDiff graph of one spectral map, used by both {@link SameDiffSpectralDenseLayer} (inside a DL4J
 * network) and {@link SpectralOps} (inside a user's SameDiff graph):
 * <pre>
 *   W = phi * (lambdaIn^T - lambdaOut)      [nIn, nOut], the differences broadcast, or for large W as the product
 *                                           [lambdaIn; -1]^T [1; lambdaOut]
 *                                           (phi * support for a SPARSE block)
 *   y = activation(x W + b)
 * </pre>
 * For a factored block (LOW_RANK, SVD, QR: phi = U V^T, the factors as the block defines them) the graph
 * never forms W: {@code x W = ((x * lambdaIn) U) V^T - ((x U) V^T) * lambdaOut}, unless the layer sparsifies W
 * by magnitude ({@link MagnitudeSparsity}), which needs W whole for any block.
 * SameDiff differentiates it automatically; the native layer's hand-written backward pass implements
 * the same derivatives (docs/METHOD.md section 2).
 *
 * <p>The map {@code x W} ({@link #preActivation}) and the output {@code activation(z + b)} ({@link #output}) can
 * also be built as separate graphs, which is how {@link SameDiffSpectralDenseRuntimeLayer} avoids recomputing
 * {@code x W} in its backward pass.
 */
public final class SpectralGraph {

    /** phi [nIn, nOut]: the block's whole phi (times its support), or a factored block's U V^T. */
    private static SDVariable phi(SameDiff sd, Map<String, SDVariable> params, SpectralLayerConfig layer, PhiBlock block,
                                  DataType dataType) {
        if (block instanceof FactoredBlock factored) {
            SDVariable[] uv = factored.factors(sd, params);
            return sd.mmul(uv[0], uv[1], false, true, false);
        }
        SDVariable phi = params.get(SpectralParam.PHI.key());
        INDArray support = ((WholePhiBlock) block).support(layer.getNIn(), layer.getNOut(), dataType);
        return support == null ? phi : phi.mul(sd.constant(support.dup()));
    }

    /** Name of the scalar constant that holds the magnitude threshold of a sparsified layer's graph. */
    public static final String MAGNITUDE_THRESHOLD = "magnitudeThreshold";

    /**
     * W times the mask {@code |W| > t} of {@link MagnitudeSparsity}, with t the graph constant
     * {@link #MAGNITUDE_THRESHOLD}, which the runtime layer sets from the current parameters before every pass
     * (the threshold is a selection, which SameDiff M2.1 cannot differentiate past: its TopK has no gradient and
     * is rebuilt from its name, and it passes its integer arguments in the wrong order). The mask passes no gradient.
     */
    private static SDVariable sparsify(SameDiff sd, SDVariable w) {
        SDVariable threshold = sd.constant(MAGNITUDE_THRESHOLD, Nd4j.scalar(w.dataType(), 0.0));
        SDVariable mask = new Step(sd, sd.math().abs(w).sub(threshold), 0.0).outputVariable();
        return w.mul(mask);
    }

    /** Activations whose SameDiff form ({@link Activation#asSameDiff}) equals DL4J's native one. */
    public static final Set<Activation> SUPPORTED_ACTIVATIONS = EnumSet.of(Activation.IDENTITY, Activation.TANH,
            Activation.SIGMOID, Activation.RELU, Activation.SOFTMAX, Activation.SOFTPLUS, Activation.SOFTSIGN,
            Activation.ELU, Activation.CUBE, Activation.HARDTANH);

    private SpectralGraph() {
    }

    /**
     * Adds the map of {@code layer} (its block, sizes and bias) to {@code sd}.
     *
     * @param params     variables or constants keyed by {@link SpectralParam#key()}: the block's groups (phi
     *                   [nIn, nOut], or its factors), lambdaIn [1, nIn], lambdaOut [1, nOut] and, if the layer has a
     *                   bias, b [1, nOut]
     * @param outputName name of the output variable, or {@code null} for a generated one
     */
    public static SDVariable define(SameDiff sd, SDVariable input, Map<String, SDVariable> params,
                                    SpectralLayerConfig layer, Activation activation, String outputName) {
        SDVariable bias = layer.hasBias() ? params.get(SpectralParam.BIAS.key()) : null;
        return output(sd, preActivation(sd, input, params, layer), bias, activation, outputName);
    }

    /**
     * The map {@code x W} [batch, nOut] of {@code layer} without the bias: {@code params} as in {@link #define}
     * (a bias among them is not used).
     */
    static SDVariable preActivation(SameDiff sd, SDVariable input, Map<String, SDVariable> params,
                                    SpectralLayerConfig layer) {
        if (layer.spec().block() instanceof FactoredBlock factored && layer.getSpectral().getMagnitudeSparsity() == 0) {
            SDVariable lambdaIn = params.get(SpectralParam.LAMBDA_IN.key());
            SDVariable lambdaOut = params.get(SpectralParam.LAMBDA_OUT.key());
            SDVariable[] uv = factored.factors(sd, params);
            SDVariable p = input.mul(lambdaIn).mmul(uv[0]);
            SDVariable t = sd.mmul(input.mmul(uv[0]), uv[1], false, true, false);
            return sd.mmul(p, uv[1], false, true, false).sub(t.mul(lambdaOut));
        }
        return input.mmul(weights(sd, params, layer, input.dataType()));
    }

    /**
     * The weights {@code W = phi * (lambdaIn^T - lambdaOut)} [nIn, nOut] of {@code layer} (sparsified by magnitude if
     * the layer asks for it), {@code params} as in {@link #define}.
     */
    static SDVariable weights(SameDiff sd, Map<String, SDVariable> params, SpectralLayerConfig layer,
                              DataType dataType) {
        long nIn = layer.getNIn();
        long nOut = layer.getNOut();
        SDVariable d = differences(sd, params.get(SpectralParam.LAMBDA_IN.key()),
                params.get(SpectralParam.LAMBDA_OUT.key()), nIn, nOut, dataType, nIn * nOut >= PRODUCT_FORM_FROM);
        SDVariable w = phi(sd, params, layer, layer.spec().block(), dataType).mul(d);
        return layer.getSpectral().getMagnitudeSparsity() > 0 ? sparsify(sd, w) : w;
    }

    /**
     * Number of elements of W from which {@link #weights} writes D as a rank-2 product rather than a broadcast
     * subtraction. The two forms give the same numbers and differ in cost: SameDiff differentiates the subtraction
     * with {@code subtract_bp}, which in ND4J 1.0.0-M2.1 reduces the two-sided broadcast slowly for large D, and
     * the product with {@code matmul_bp}, whose forward pass costs more than the subtraction's for small D
     * (docs/decisions.md gives the measurements).
     */
    static final long PRODUCT_FORM_FROM = 1L << 20;

    /**
     * D = lambdaIn^T - lambdaOut [nIn, nOut] as the rank-2 product {@code [lambdaIn; -1]^T [1; lambdaOut]} if
     * {@code product}, else as the broadcast subtraction [nIn, 1] - [1, nOut]. Both give the same numbers (each
     * element of the product is one product by 1 or -1 and one rounded sum).
     */
    static SDVariable differences(SameDiff sd, SDVariable lambdaIn, SDVariable lambdaOut, long nIn, long nOut,
                                  DataType dataType, boolean product) {
        if (!product) {
            return lambdaIn.reshape(nIn, 1).sub(lambdaOut);
        }
        SDVariable left = sd.concat(0, lambdaIn, sd.constant(Nd4j.valueArrayOf(new long[]{1, nIn}, -1.0, dataType)));
        SDVariable right = sd.concat(0, sd.constant(Nd4j.ones(dataType, 1, nOut)), lambdaOut);
        return sd.mmul(left, right, true, false, false);
    }

    /**
     * {@code activation(z + b)}, or {@code activation(z)} for a {@code null} bias, named {@code outputName} (or a
     * generated name for {@code null}).
     */
    static SDVariable output(SameDiff sd, SDVariable preActivation, SDVariable bias, Activation activation,
                             String outputName) {
        SDVariable z = bias == null ? preActivation : preActivation.add(bias);
        return activation.asSameDiff(outputName, sd, z);
    }
}
