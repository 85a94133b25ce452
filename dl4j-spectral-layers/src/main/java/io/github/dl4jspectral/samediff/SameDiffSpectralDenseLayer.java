package io.github.dl4jspectral.samediff;

import io.github.dl4jspectral.conf.SpectralLayerBuilder;
import io.github.dl4jspectral.conf.LayerSpec;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralLayerSupport;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.conf.SpectralSettings;
import io.github.dl4jspectral.params.SpectralParamInitializer;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The spectral dense layer as a DL4J {@link SameDiffLayer}: the same parametrization, presets,
 * per-group trainability, initialization and parameter keys and shapes as the native
 * {@link io.github.dl4jspectral.conf.SpectralDenseLayer}, with the forward pass defined as a SameDiff graph
 * ({@link SpectralGraph}) and the backward pass derived by SameDiff.
 *
 * <pre>{@code
 * .layer(new SameDiffSpectralDenseLayer.Builder().nOut(500).activation(Activation.TANH)
 *         .preset(SpectralPreset.EIGENVALUES).build())
 * }</pre>
 *
 * Parameters are stored in 'c' order (DL4J's native weights are 'f'): copy parameters between the two
 * implementations one by one ({@code getParam}/{@code setParam}), never as flat vectors.
 *
 * <p>What DL4J 1.0.0-M2.1's SameDiff layers get wrong, and what this class does about it:
 * <ul>
 *   <li>gradients come back twice the true value: the runtime layer halves the errors it feeds its graphs
 *       ({@link SameDiffSpectralDenseRuntimeLayer#GRADIENT_CORRECTION});</li>
 *   <li>the backward pass recomputes the whole forward pass: the runtime layer runs the map {@code x W} and the
 *       activation as two graphs and hands {@code x W} from the forward pass to the backward pass
 *       ({@link SameDiffSpectralDenseRuntimeLayer});</li>
 *   <li>the training flag never reaches the graph, so dropout would silently never act: dropout, weight
 *       noise and activations without an exact SameDiff form are rejected with a clear error;</li>
 *   <li>{@code setParam} does nothing: the runtime layer implements it;</li>
 *   <li>{@code getMemoryReport} and {@code setNIn} are implemented here.</li>
 * </ul>
 * Use the native layer for speed and for dropout or weight noise; use this one to extend the graph.
 */
public class SameDiffSpectralDenseLayer extends SameDiffLayer implements SpectralLayerConfig {

    @JsonProperty("nIn")
    private long nIn;
    @JsonProperty("nOut")
    private long nOut;
    @JsonProperty("activation")
    private Activation activation;
    @JsonProperty("hasBias")
    private boolean hasBias = true;
    @JsonProperty("spectral")
    private SpectralSettings spectral = SpectralSettings.DEFAULT;
    /** The validated value of this configuration, while it describes it ({@link #spec()}). */
    @org.nd4j.shade.jackson.annotation.JsonIgnore
    private transient LayerSpec spec;
    @JsonProperty("weightInitFn")
    private IWeightInit weightInitFn;
    @JsonProperty("biasInit")
    private double biasInit = Double.NaN;

    /** For JSON deserialization; use the {@link Builder}. */
    public SameDiffSpectralDenseLayer() {
    }

    private SameDiffSpectralDenseLayer(Builder builder) {
        super(builder);
        this.nIn = builder.nIn;
        this.nOut = builder.nOut;
        this.activation = builder.activation;
        this.hasBias = builder.hasBias;
        this.weightInitFn = builder.weightInitFn;
        this.biasInit = builder.biasInit;
        this.spectral = builder.spectral.build(describe(), hasBias);
        spec().checkBuilt();
        rejectUnsupported(builder.getIDropout() != null, describe());
        if (activation != null) {
            checkActivation(activation, describe());
        }
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        for (SpectralParam group : SpectralParamInitializer.groups(this)) {
            long[] shape = SpectralParamInitializer.shape(this, group);
            if (group == SpectralParam.BIAS) {
                params.addBiasParam(group.key(), shape);
            } else {
                params.addWeightParam(group.key(), shape);
            }
        }
    }

    /**
     * The parameter shapes for the current nIn, nOut and block, computed on every call: DL4J caches them
     * once, which would go stale when pruning changes a size. Not part of the JSON.
     */
    @Override
    @JsonIgnore
    public SDLayerParams getLayerParams() {
        SDLayerParams params = new SDLayerParams();
        defineParameters(params);
        return params;
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        SpectralParamInitializer.initialize(this, params);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable layerInput, Map<String, SDVariable> paramTable, SDVariable mask) {
        SDVariable out = SpectralGraph.define(sd, layerInput, paramTable, this, activation, null);
        return mask == null ? out : out.mul(mask);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        String where = describe() + " (layer index " + layerIndex + ")";
        rejectUnsupported(getIDropout() != null, where);
        if (activation == null) {
            throw new DL4JInvalidConfigException(where + ": activation not set; expected one of "
                    + SpectralGraph.SUPPORTED_ACTIVATIONS);
        }
        return SpectralLayerSupport.instantiate(this, () -> new SameDiffSpectralDenseRuntimeLayer(conf, networkDataType), conf,
                trainingListeners, layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public void applyGlobalConfigToLayer(NeuralNetConfiguration.Builder global) {
        if (global.getWeightNoise() != null) {
            throw new DL4JInvalidConfigException(describe() + ": weight noise " + global.getWeightNoise()
                    + " is not supported by SameDiff layers in DL4J 1.0.0-M2.1; expected no weightNoise "
                    + "(use io.github.dl4jspectral.conf.SpectralDenseLayer for weight noise)");
        }
        if (weightInitFn == null) {
            weightInitFn = global.getWeightInitFn();
        }
        if (Double.isNaN(biasInit)) {
            biasInit = global.getBiasInit();
        }
        if (activation == null) {
            activation = activationOf(global.getActivationFn(), describe());
        }
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return SpectralLayerSupport.updaterFor(this, paramName);
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return SpectralLayerSupport.regularizationFor(this, paramName);
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return SpectralLayerSupport.memoryReport(this, inputType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(nOut);
    }

    /** Sets nIn from the input type as a DenseLayer does (DL4J's SameDiff layers leave this to each layer). */
    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn <= 0 || override) {
            DenseLayer probe = asDense();
            probe.setNIn(inputType, true);
            setNIn(probe.getNIn());
        }
    }

    /** The preprocessor a DenseLayer would get (e.g. CNN to feed-forward). */
    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return asDense().getPreProcessorForInputType(inputType);
    }

    private DenseLayer asDense() {
        return new DenseLayer.Builder().nOut(Math.max(nOut, 1)).build();
    }

    private static void rejectUnsupported(boolean hasDropout, String where) {
        if (hasDropout) {
            throw new DL4JInvalidConfigException(where + ": dropout is not supported: DL4J 1.0.0-M2.1 never passes "
                    + "the training flag to SameDiff layers, so it would silently never act; expected no dropOut "
                    + "(use io.github.dl4jspectral.conf.SpectralDenseLayer for dropout)");
        }
    }

    private static void checkActivation(Activation activation, String where) {
        if (!SpectralGraph.SUPPORTED_ACTIVATIONS.contains(activation)) {
            throw new DL4JInvalidConfigException(where + ": activation " + activation + " has no exact SameDiff form "
                    + "in DL4J 1.0.0-M2.1; expected one of " + SpectralGraph.SUPPORTED_ACTIVATIONS);
        }
    }

    /** The Activation constant equal to {@code fn}, which must be one of the supported ones. */
    private static Activation activationOf(IActivation fn, String where) {
        return Arrays.stream(Activation.values())
                .filter(SpectralGraph.SUPPORTED_ACTIVATIONS::contains)
                .filter(a -> fn != null && a.getActivationFunction().getClass() == fn.getClass())
                .findFirst()
                .orElseThrow(() -> new DL4JInvalidConfigException(where + ": activation " + fn + " (from the global "
                        + "configuration) has no exact SameDiff form; expected one of " + SpectralGraph.SUPPORTED_ACTIVATIONS));
    }

    @Override
    public long getNIn() {
        return nIn;
    }

    public void setNIn(long nIn) {
        this.nIn = nIn;
    }

    @Override
    public long getNOut() {
        return nOut;
    }

    public void setNOut(long nOut) {
        this.nOut = nOut;
    }

    public Activation getActivation() {
        return activation;
    }

    /** The activation's function, or {@code null} before the global configuration was applied. */
    @Override
    @JsonIgnore
    public IActivation getActivationFn() {
        return activation == null ? null : activation.getActivationFunction();
    }

    /** The updater of the trained weight-like groups (DL4J calls it {@code getUpdater} on SameDiff layers). */
    @Override
    @JsonIgnore
    public IUpdater getIUpdater() {
        return getUpdater();
    }

    /** Always {@code null}: weight noise is rejected (DL4J 1.0.0-M2.1 does not apply it to SameDiff layers). */
    @Override
    @JsonIgnore
    public IWeightNoise getWeightNoise() {
        return null;
    }

    public void setActivation(Activation activation) {
        this.activation = activation;
    }

    @Override
    public boolean hasBias() {
        return hasBias;
    }

    public void setHasBias(boolean hasBias) {
        this.hasBias = hasBias;
    }

    @Override
    public LayerSpec spec() {
        LayerSpec current = LayerSpec.current(spec, this);
        spec = current;
        return current;
    }

    @Override
    public SpectralSettings getSpectral() {
        return spectral;
    }

    public void setSpectral(SpectralSettings spectral) {
        this.spectral = spectral;
    }

    @Override
    public IWeightInit getWeightInitFn() {
        return weightInitFn;
    }

    public void setWeightInitFn(IWeightInit weightInitFn) {
        this.weightInitFn = weightInitFn;
    }

    @Override
    public double getBiasInit() {
        return biasInit;
    }

    public void setBiasInit(double biasInit) {
        this.biasInit = biasInit;
    }

    @Override
    public SameDiffSpectralDenseLayer clone() {
        return (SameDiffSpectralDenseLayer) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SameDiffSpectralDenseLayer other && super.equals(o) && nIn == other.nIn
                && nOut == other.nOut && activation == other.activation && hasBias == other.hasBias
                && Objects.equals(spectral, other.spectral) && Objects.equals(weightInitFn, other.weightInitFn)
                && Double.compare(biasInit, other.biasInit) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), nIn, nOut, activation, hasBias, spectral, weightInitFn, biasInit);
    }

    @Override
    public String toString() {
        return SpectralLayerSupport.toString(this, "");
    }

    /** Builds a {@link SameDiffSpectralDenseLayer}; validates like the native layer's builder. */
    public static class Builder extends SameDiffLayer.Builder<Builder> implements SpectralLayerBuilder<Builder> {
        private long nIn;
        private long nOut;
        private Activation activation;
        private boolean hasBias = true;
        private IWeightInit weightInitFn;
        private double biasInit = Double.NaN;
        private final SpectralSettings.Builder spectral = new SpectralSettings.Builder();

        /** Number of inputs; 0 (default) to infer it from the network's input type. */
        public Builder nIn(long nIn) {
            this.nIn = nIn;
            return this;
        }

        /** Number of nodes of this layer. */
        public Builder nOut(long nOut) {
            this.nOut = nOut;
            return this;
        }

        /** One of {@link SpectralGraph#SUPPORTED_ACTIVATIONS}; default: the network's activation. */
        public Builder activation(Activation activation) {
            this.activation = activation;
            return this;
        }

        /** If true (default) the layer has the bias {@code b}. */
        public Builder hasBias(boolean hasBias) {
            this.hasBias = hasBias;
            return this;
        }

        /** The weight init used for phi by the default initialization; default: the network's. */
        @Override
        public Builder weightInit(WeightInit weightInit) {
            return weightInit(weightInit.getWeightInitFunction());
        }

        /** The weight init used for phi by the default initialization; default: the network's. */
        public Builder weightInit(IWeightInit weightInit) {
            this.weightInitFn = weightInit;
            return this;
        }

        /** Initial bias value; default: the network's (0). */
        public Builder biasInit(double biasInit) {
            this.biasInit = biasInit;
            return this;
        }

        @Override
        public SpectralSettings.Builder spectralSettings() {
            return spectral;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SameDiffSpectralDenseLayer build() {
            return new SameDiffSpectralDenseLayer(this);
        }
    }
}
