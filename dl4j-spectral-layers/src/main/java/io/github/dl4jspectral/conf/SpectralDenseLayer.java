package io.github.dl4jspectral.conf;

import io.github.dl4jspectral.params.SpectralParamInitializer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A fully connected layer in the spectral parametrization: a drop-in replacement for DL4J's
 * {@link org.deeplearning4j.nn.conf.layers.DenseLayer}.
 *
 * <p>The layer computes {@code y = activation(x * W + b)} with the effective weights
 * <pre>    W[j][i] = phi[j][i] * (lambdaIn[j] - lambdaOut[i])     (j &lt; nIn, i &lt; nOut)</pre>
 * the off-diagonal block of the transfer operator {@code Phi Lambda Phi^-1} (docs/METHOD.md section 1).
 * Parameters: {@code phi} [nIn, nOut], {@code lambdaIn} [1, nIn], {@code lambdaOut} [1, nOut] and
 * {@code b} [1, nOut] (see {@link SpectralParam}). Which of them are trained is chosen by a
 * {@link SpectralPreset} (default {@link SpectralPreset#EIGENVALUES}: nIn + 2 nOut trainable numbers
 * instead of nIn nOut + nOut) or group by group; frozen groups get no update, no regularization, no
 * constraint and no updater state.
 *
 * <pre>{@code
 * .layer(new SpectralDenseLayer.Builder()
 *         .nOut(500).activation(Activation.TANH)
 *         .preset(SpectralPreset.EIGENVALUES)
 *         .build())
 * }</pre>
 *
 * Everything else is as for a DenseLayer: nIn inferred by {@code setInputType}, bias on/off,
 * dropout on the input, weight noise (applied to phi, which maps entry for entry onto W, and to the
 * bias if so configured), per-example masks, and the global updater, l1/l2, weight decay and weight
 * init of the network configuration.
 */
public class SpectralDenseLayer extends FeedForwardLayer implements SpectralLayerConfig {

    @JsonProperty("hasBias")
    private boolean hasBias = true;
    @JsonProperty("spectral")
    private SpectralSettings spectral = SpectralSettings.DEFAULT;
    /** The validated value of this configuration, while it describes it ({@link #spec()}). */
    @org.nd4j.shade.jackson.annotation.JsonIgnore
    private transient LayerSpec spec;

    /** For JSON deserialization; use the {@link Builder}. */
    public SpectralDenseLayer() {
    }

    private SpectralDenseLayer(Builder builder) {
        super(builder);
        this.hasBias = builder.hasBias;
        this.spectral = builder.spectral.build(describe(), hasBias);
        spec().checkBuilt();
        initializeConstraints(builder);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return SpectralLayerSupport.instantiate(this, () -> new io.github.dl4jspectral.layers.SpectralDenseLayer(conf,
                networkDataType), conf, trainingListeners, layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return SpectralParamInitializer.getInstance();
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
    public boolean equals(Object o) {
        return o instanceof SpectralDenseLayer other && super.equals(o)
                && hasBias == other.hasBias && Objects.equals(spectral, other.spectral);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), hasBias, spectral);
    }

    @Override
    public String toString() {
        return SpectralLayerSupport.toString(this, "");
    }

    /**
     * Builds a {@link SpectralDenseLayer}; validates sizes, preset and per-group flags, and
     * initialization ranges in {@link #build()}.
     */
    public static class Builder extends FeedForwardLayer.Builder<Builder> implements SpectralLayerBuilder<Builder> {
        private boolean hasBias = true;
        private final SpectralSettings.Builder spectral = new SpectralSettings.Builder();

        /** If true (default) the layer has the bias {@code b}; if false it has none. */
        public Builder hasBias(boolean hasBias) {
            this.hasBias = hasBias;
            return this;
        }

        @Override
        public SpectralSettings.Builder spectralSettings() {
            return spectral;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SpectralDenseLayer build() {
            return new SpectralDenseLayer(this);
        }
    }
}
