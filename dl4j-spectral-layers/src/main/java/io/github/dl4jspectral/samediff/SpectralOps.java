package io.github.dl4jspectral.samediff;

import io.github.dl4jspectral.conf.LayerSpec;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.params.SpectralParamInitializer;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Spectral layers for a user's own {@link SameDiff} graph (DL4J's TensorFlow-like API).
 *
 * <pre>{@code
 * SameDiff sd = SameDiff.create();
 * SDVariable in = sd.placeHolder("input", DataType.FLOAT, -1, 4);
 * SDVariable hidden = SpectralOps.dense(sd, "hidden", in, new SameDiffSpectralDenseLayer.Builder()
 *         .nOut(16).activation(Activation.TANH).preset(SpectralPreset.EIGENVALUES).build());
 * }</pre>
 *
 * For a layer named {@code name} the graph gets, each with the shape of the DL4J parameter:
 * <ul>
 *   <li>{@code name/phi} [nIn, nOut] (for a factored block its factors instead, e.g. {@code name/phiU} [nIn, r]
 *       and {@code name/phiV} [nOut, r]), {@code name/lambdaIn} [1, nIn], {@code name/lambdaOut} [1, nOut] and,
 *       with bias, {@code name/b} [1, nOut]: trainable groups as variables (trained by {@code sd.fit}),
 *       frozen groups as constants (never changed);</li>
 *   <li>{@code name/out}, the output {@code activation(x W + b)} with {@code W = phi * (lambdaIn^T - lambdaOut)}.</li>
 * </ul>
 * Initial values follow the configuration's {@link io.github.dl4jspectral.conf.SpectralInit}, drawn in plain Java
 * from the configuration's {@code initSeed}; a configuration without one gets a seed from ND4J's global random
 * generator (seed it with {@code Nd4j.getRandom().setSeed(...)}), recorded in the configuration.
 */
public final class SpectralOps {

    private SpectralOps() {
    }

    /**
     * Adds a spectral dense map to {@code sd} and returns its output variable {@code name/out}.
     *
     * @param name  prefix of the new variables; must not be in use in {@code sd}
     * @param input [batch, nIn]; the configuration's nIn may be 0 when the input's shape is known (a
     *              placeholder of shape [-1, nIn]); after other ops set nIn explicitly
     * @param layer presets, trainability, bias, activation and initialization (the network-level defaults
     *              of a DL4J configuration do not apply here: set the activation explicitly)
     * @throws DL4JInvalidConfigException for a configuration the DL4J layers reject (the same validation, run once
     *                                    nIn is known: sizes, spectral settings, the block against nIn and nOut),
     *                                    a missing activation, magnitude sparsity, or an input whose width is not nIn
     */
    public static SDVariable dense(SameDiff sd, String name, SDVariable input, SameDiffSpectralDenseLayer layer) {
        Objects.requireNonNull(sd, "sd");
        Objects.requireNonNull(input, "input");
        SameDiffSpectralDenseLayer spec = withNIn(layer.clone(), input, name);
        String where = spec.describe() + " in SameDiff graph \"" + name + "\"";
        // The layers' own validation, now that nIn is known (the builder could not check, e.g., lowRank r <= nIn).
        LayerSpec.of(spec, where).checkSized(where);
        if (spec.getActivation() == null) {
            throw new DL4JInvalidConfigException(where + ": activation not set; expected one of "
                    + SpectralGraph.SUPPORTED_ACTIVATIONS);
        }
        if (spec.getSpectral().getMagnitudeSparsity() > 0) {
            throw new DL4JInvalidConfigException(where + ": magnitudeSparsity "
                    + spec.getSpectral().getMagnitudeSparsity() + " needs DL4J's runtime layer, which sets the threshold "
                    + "before every pass; expected magnitudeSparsity 0 here (use SameDiffSpectralDenseLayer or "
                    + "SpectralDenseLayer in a network for sparsified weights)");
        }
        if (sd.hasVariable(name + "/out")) {
            throw new IllegalArgumentException("SameDiff graph already has a variable " + name + "/out; expected a new name");
        }
        Map<String, INDArray> values = new LinkedHashMap<>();
        for (SpectralParam group : SpectralParamInitializer.groups(spec)) {
            values.put(group.key(), Nd4j.create(input.dataType(), SpectralParamInitializer.shape(spec, group)));
        }
        SpectralParamInitializer.initialize(spec, values);
        Map<String, SDVariable> params = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            String variable = name + "/" + key;
            boolean trained = spec.getSpectral().trains(key);
            params.put(key, trained ? sd.var(variable, value) : sd.constant(variable, value));
        });
        return SpectralGraph.define(sd, input, params, spec, spec.getActivation(), name + "/out");
    }

    private static SameDiffSpectralDenseLayer withNIn(SameDiffSpectralDenseLayer spec, SDVariable input, String name) {
        long[] shape = input.getShape();
        long width = shape != null && shape.length == 2 ? shape[1] : -1;
        if (spec.getNIn() <= 0) {
            if (width <= 0) {
                throw new DL4JInvalidConfigException(spec.describe() + " in SameDiff graph \"" + name + "\": nIn = "
                        + spec.getNIn() + " and the input's width is unknown (shape " + java.util.Arrays.toString(shape)
                        + "); expected nIn > 0 or an input of shape [-1, nIn]");
            }
            spec.setNIn(width);
        } else if (width > 0 && width != spec.getNIn()) {
            throw new DL4JInvalidConfigException(spec.describe() + " in SameDiff graph \"" + name + "\": input width "
                    + width + "; expected nIn = " + spec.getNIn());
        }
        return spec;
    }
}
