package io.github.dl4jspectral.conf;

import org.deeplearning4j.nn.weights.IWeightInit;

/**
 * What the spectral runtime, parameter initializer and counters need to know of a spectral layer
 * configuration; implemented by {@link SpectralDenseLayer} and {@link SpectralOutputLayer}.
 */
public interface SpectralLayerConfig {

    /** Number of sending nodes (rows of phi). */
    long getNIn();

    /** Number of receiving nodes (columns of phi). */
    long getNOut();

    /** Whether the layer has the bias {@code b}. */
    boolean hasBias();

    /** Trainability, preset, initialization and block. */
    SpectralSettings getSpectral();

    /** Replaces the spectral settings (used by pruning's pre-processing; not validated again). */
    void setSpectral(SpectralSettings spectral);

    /** The DL4J weight initialization, used for phi by the default initialization. */
    IWeightInit getWeightInitFn();

    /** The initial bias value. */
    double getBiasInit();

    /** The layer's name, or {@code null}. */
    String getLayerName();

    /** "SpectralDenseLayer "hidden"" or "SpectralDenseLayer (unnamed)", the prefix of every error message. */
    default String describe() {
        String type = getClass().getSimpleName();
        return getLayerName() == null ? type + " (unnamed)" : type + " \"" + getLayerName() + "\"";
    }
}
