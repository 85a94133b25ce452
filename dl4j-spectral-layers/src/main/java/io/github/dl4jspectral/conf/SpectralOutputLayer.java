package io.github.dl4jspectral.conf;

import io.github.dl4jspectral.params.SpectralParamInitializer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The spectral counterpart of DL4J's {@link org.deeplearning4j.nn.conf.layers.OutputLayer}: a loss
 * function on {@code activation(x * W + b)} with {@code W[j][i] = phi[j][i] * (lambdaIn[j] - lambdaOut[i])}.
 * Same presets, parameters, initialization and frozen-group semantics as {@link SpectralDenseLayer},
 * so that every map of a network can be spectral. Defaults, as for OutputLayer: MCXENT loss, softmax.
 *
 * <pre>{@code
 * .layer(new SpectralOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
 *         .nOut(10).activation(Activation.SOFTMAX)
 *         .preset(SpectralPreset.EIGENVALUES)
 *         .build())
 * }</pre>
 */
public class SpectralOutputLayer extends BaseOutputLayer implements SpectralLayerConfig {

    @JsonProperty("spectral")
    private SpectralSettings spectral = SpectralSettings.DEFAULT;
    /** The validated value of this configuration, while it describes it ({@link #spec()}). */
    @org.nd4j.shade.jackson.annotation.JsonIgnore
    private transient LayerSpec spec;

    /** For JSON deserialization; use the {@link Builder}. */
    public SpectralOutputLayer() {
    }

    private SpectralOutputLayer(Builder builder) {
        super(builder);
        this.spectral = builder.spectral.build(describe(), hasBias());
        spec().checkBuilt();
        initializeConstraints(builder);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return SpectralLayerSupport.instantiate(this, () -> new io.github.dl4jspectral.layers.SpectralOutputLayer(conf,
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
        return o instanceof SpectralOutputLayer other && super.equals(o) && Objects.equals(spectral, other.spectral);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), spectral);
    }

    @Override
    public String toString() {
        return SpectralLayerSupport.toString(this, ", loss=" + getLossFn());
    }

    /** Builds a {@link SpectralOutputLayer}; validates like {@link SpectralDenseLayer.Builder}. */
    public static class Builder extends BaseOutputLayer.Builder<Builder> implements SpectralLayerBuilder<Builder> {
        private final SpectralSettings.Builder spectral = new SpectralSettings.Builder();

        /** MCXENT loss with softmax activation. */
        public Builder() {
            this.setActivationFn(new ActivationSoftmax());
        }

        /** The given loss, softmax activation unless {@code activation(...)} is set. */
        public Builder(LossFunctions.LossFunction lossFunction) {
            super(lossFunction);
            this.setActivationFn(new ActivationSoftmax());
        }

        /** The given loss, softmax activation unless {@code activation(...)} is set. */
        public Builder(ILossFunction lossFunction) {
            super(lossFunction);
            this.setActivationFn(new ActivationSoftmax());
        }

        @Override
        public SpectralSettings.Builder spectralSettings() {
            return spectral;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SpectralOutputLayer build() {
            return new SpectralOutputLayer(this);
        }
    }
}
