package io.github.dl4jspectral.conf;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.List;

/**
 * Everything the library needs to know of a spectral layer configuration, whichever DL4J base class it extends:
 * the runtime, parameter initializer and counters (sizes, bias, spectral settings, initialization), pruning
 * (setting the sizes) and the export (the training settings a plain DL4J layer takes over). Implemented by
 * {@link SpectralDenseLayer}, {@link SpectralOutputLayer} and the SameDiff layer; DL4J's base classes already
 * provide most of these methods.
 */
public interface SpectralLayerConfig {

    /** Number of sending nodes (rows of phi). */
    long getNIn();

    /** Number of receiving nodes (columns of phi). */
    long getNOut();

    /** Sets the number of sending nodes (pruning a consumer; no validation). */
    void setNIn(long nIn);

    /** Sets the number of receiving nodes (pruning a producer; no validation). */
    void setNOut(long nOut);

    /** Whether the layer has the bias {@code b}. */
    boolean hasBias();

    /** Trainability, preset, initialization and block. */
    SpectralSettings getSpectral();

    /**
     * Replaces the spectral settings (used by pruning). Not validated here: {@link #spec()} validates them before the
     * layer is sized again.
     */
    void setSpectral(SpectralSettings spectral);

    /** The DL4J weight initialization, used for phi by the default initialization. */
    IWeightInit getWeightInitFn();

    /** The initial bias value. */
    double getBiasInit();

    /** The layer's name, or {@code null}. */
    String getLayerName();

    /** The activation function (after the global configuration was applied). */
    IActivation getActivationFn();

    /** The updater of the trained weight-like groups (phi, eigenvalues). */
    IUpdater getIUpdater();

    /** The bias updater, or {@code null} for the same as {@link #getIUpdater()}. */
    IUpdater getBiasUpdater();

    /** Regularization of the trained weight-like groups. */
    List<Regularization> getRegularization();

    /** Regularization of the bias. */
    List<Regularization> getRegularizationBias();

    GradientNormalization getGradientNormalization();

    double getGradientNormalizationThreshold();

    /** Dropout on the layer's input, or {@code null}. */
    IDropout getIDropout();

    /** Weight noise on phi (and the bias if so configured), or {@code null}. */
    IWeightNoise getWeightNoise();

    /**
     * The validated value of this configuration ({@link LayerSpec#of}), kept by an implementation until its sizes,
     * bias, name or settings change; everything that sizes, initializes or runs the layer reads it.
     *
     * @throws org.deeplearning4j.exception.DL4JInvalidConfigException if the configuration is invalid
     */
    default LayerSpec spec() {
        return LayerSpec.of(this);
    }

    /** "SpectralDenseLayer "hidden"" or "SpectralDenseLayer (unnamed)", the prefix of every error message. */
    default String describe() {
        String type = getClass().getSimpleName();
        return getLayerName() == null ? type + " (unnamed)" : type + " \"" + getLayerName() + "\"";
    }
}
