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

    /** Trainability, preset and initialization. */
    SpectralSettings getSpectral();

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
