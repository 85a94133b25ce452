package io.github.dl4jspectral.keras;

import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralParam;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasActivationUtils;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasLayerUtils;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DL4J Keras import of the reference code's {@code Spectral} layer (Buffoni et al., {@code SpectralLayer.py}) into a
 * {@link SpectralDenseLayer} with the same outputs.
 *
 * <p>The Keras layer computes {@code activation(x @ (base * (diag_start - diag_end)) + bias)} with {@code base}
 * [nIn, nOut], {@code diag_start} [nIn, 1], {@code diag_end} [1, nOut] and {@code bias} [nOut]. The library computes
 * {@code W[j][i] = phi[j][i] * (lambdaIn[j] - lambdaOut[i])} (docs/METHOD.md section 1.1), so the map is entry for entry
 * {@code phi = base}, {@code lambdaIn = diag_start^T}, {@code lambdaOut = diag_end}, {@code b = bias}. The Keras flags
 * {@code is_base_trainable}, {@code is_diag_start_trainable} and {@code is_diag_end_trainable} become
 * {@code trainPhi}, {@code trainLambdaIn} and {@code trainLambdaOut} (reported as the preset they equal); the bias, which
 * the Keras layer always trains, is trained. {@code EIGENVALUES_OUT} is never chosen, since it would pin a stored
 * {@code diag_start} to zero.
 *
 * <p>The layer's configuration has no {@code units}: {@link SpectralKerasImport} writes it from the shape of
 * {@code base} before DL4J reads the configuration. Regularizers and constraints are not imported: with training
 * configuration enforced they are refused, otherwise the import drops them.
 */
public class KerasSpectral extends KerasLayer {

    /** The class names the Spectral layer is saved under: by TF's Keras 2 code and by Keras 3 with a package. */
    public static final Set<String> CLASS_NAMES = Set.of("Spectral", "spectral>Spectral");

    /** Configuration fields that only change training; refused when training configuration is enforced. */
    static final List<String> TRAINING_ONLY_FIELDS = List.of("base_regularizer", "diag_regularizer", "bias_regularizer",
            "activity_regularizer", "base_constraint", "diag_constraint", "bias_constraint");

    static final String BASE = "base";
    static final String DIAG_START = "diag_start";
    static final String DIAG_END = "diag_end";
    static final String BIAS = "bias";

    private final boolean useBias;
    private final int nOut;
    private long nIn = -1;

    /** Registers this import for every name in {@link #CLASS_NAMES} with DL4J's Keras import. */
    public static void register() {
        for (String className : CLASS_NAMES) {
            KerasLayer.registerCustomLayer(className, KerasSpectral.class);
        }
    }

    /** Called by DL4J's Keras import (which always enforces the training configuration for custom layers). */
    public KerasSpectral(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, true);
        Map<String, Object> config = KerasLayerUtils.getInnerLayerConfigFromConfig(layerConfig, conf);
        String where = describe();
        for (String field : TRAINING_ONLY_FIELDS) {
            if (config.get(field) != null) {
                throw new UnsupportedKerasConfigurationException(where + ": " + field + " = " + config.get(field)
                        + "; expected null (regularizers and constraints of the Spectral layer are not imported;"
                        + " import without enforcing the training configuration to drop them)");
            }
        }
        this.useBias = flag(config, "use_bias", where);
        Object units = config.get("units");
        if (!(units instanceof Number number) || number.intValue() <= 0) {
            throw new InvalidKerasConfigurationException(where + ": units = " + units
                    + "; expected the output size, which SpectralKerasImport reads from the weight " + BASE
                    + " [nIn, nOut]");
        }
        this.nOut = number.intValue();
        SpectralDenseLayer.Builder builder = new SpectralDenseLayer.Builder()
                .name(layerName)
                .nOut(nOut)
                .activation(KerasActivationUtils.getIActivationFromConfig(layerConfig, conf))
                .hasBias(useBias)
                .trainPhi(flag(config, "is_base_trainable", where))
                .trainLambdaIn(flag(config, "is_diag_start_trainable", where))
                .trainLambdaOut(flag(config, "is_diag_end_trainable", where));
        if (useBias) {
            builder.trainBias(true);
        }
        this.layer = builder.build();
    }

    private String describe() {
        return "Spectral layer \"" + layerName + "\"";
    }

    private static boolean flag(Map<String, Object> config, String field, String where)
            throws InvalidKerasConfigurationException {
        Object value = config.get(field);
        if (!(value instanceof Boolean b)) {
            throw new InvalidKerasConfigurationException(where + ": " + field + " = " + value
                    + "; expected true or false");
        }
        return b;
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1 || !(inputType[0] instanceof InputType.InputTypeFeedForward feedForward)) {
            throw new InvalidKerasConfigurationException(describe() + ": input = " + Arrays.toString(inputType)
                    + "; expected one feed-forward input [batch, nIn]");
        }
        nIn = feedForward.getSize();
        return InputType.feedForward(nOut);
    }

    @Override
    public int getNumParams() {
        return useBias ? 4 : 3;
    }

    /**
     * Takes the Keras weights {@code base}, {@code diag_start}, {@code diag_end} (and {@code bias}) after checking
     * their shapes against nIn (from the layer's input) and nOut.
     */
    @Override
    public void setWeights(Map<String, INDArray> weights) throws InvalidKerasConfigurationException {
        Map<String, INDArray> mapped = new HashMap<>();
        INDArray base = require(weights, BASE, "[nIn, nOut]");
        long rows = base.rank() == 2 ? base.size(0) : -1;
        if (base.rank() != 2 || (nIn > 0 && rows != nIn) || base.size(1) != nOut) {
            throw shapeError(BASE, base, "[" + (nIn > 0 ? nIn : "nIn") + ", " + nOut + "]");
        }
        mapped.put(SpectralParam.PHI.key(), base);
        mapped.put(SpectralParam.LAMBDA_IN.key(), vector(weights, DIAG_START, rows, new long[]{rows, 1}));
        mapped.put(SpectralParam.LAMBDA_OUT.key(), vector(weights, DIAG_END, nOut, new long[]{1, nOut}));
        if (useBias) {
            mapped.put(SpectralParam.BIAS.key(), vector(weights, BIAS, nOut, new long[]{nOut}));
        } else if (weights.containsKey(BIAS)) {
            throw new InvalidKerasConfigurationException(describe() + ": weight " + BIAS + " present with use_bias = false"
                    + "; expected no bias");
        }
        Set<String> unknown = new java.util.TreeSet<>(weights.keySet());
        unknown.removeAll(Set.of(BASE, DIAG_START, DIAG_END, BIAS));
        if (!unknown.isEmpty()) {
            throw new InvalidKerasConfigurationException(describe() + ": weights " + unknown
                    + "; expected only " + BASE + ", " + DIAG_START + ", " + DIAG_END + (useBias ? ", " + BIAS : ""));
        }
        this.weights = mapped;
    }

    /** A vector weight of {@code length} entries, stored by Keras as {@code kerasShape}, as a [1, length] row. */
    private INDArray vector(Map<String, INDArray> weights, String name, long length, long[] kerasShape)
            throws InvalidKerasConfigurationException {
        INDArray value = require(weights, name, Arrays.toString(kerasShape));
        if (!Arrays.equals(value.shape(), kerasShape)) {
            throw shapeError(name, value, Arrays.toString(kerasShape));
        }
        return value.reshape('c', 1, length);
    }

    private INDArray require(Map<String, INDArray> weights, String name, String shape)
            throws InvalidKerasConfigurationException {
        INDArray value = weights.get(name);
        if (value == null) {
            throw new InvalidKerasConfigurationException(describe() + ": weight " + name + " missing (found "
                    + weights.keySet() + "); expected " + name + " " + shape);
        }
        return value;
    }

    private InvalidKerasConfigurationException shapeError(String name, INDArray value, String expected) {
        return new InvalidKerasConfigurationException(describe() + ": weight " + name + " shape = "
                + Arrays.toString(value.shape()) + "; expected " + expected);
    }

    @Override
    public void copyWeightsToLayer(org.deeplearning4j.nn.api.Layer layer) throws InvalidKerasConfigurationException {
        if (getWeights() == null) {
            throw new InvalidKerasConfigurationException(describe() + ": no weights in the file; expected " + BASE
                    + " [nIn, " + nOut + "], " + DIAG_START + " [nIn, 1], " + DIAG_END + " [1, " + nOut + "]"
                    + (useBias ? ", " + BIAS + " [" + nOut + "]" : ""));
        }
        super.copyWeightsToLayer(layer);
    }
}
