package io.github.dl4jspectral.spectralize;

import io.github.dl4jspectral.conf.SpectralPreset;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link Spectralize} converts and how the converted layers train. Immutable.
 *
 * @param preset which groups the converted layers train; default {@link SpectralPreset#EIGENVALUES}: the eigenvalues
 *               and the bias, with the eigenvector block {@code phi = W} frozen
 * @param layers the names of the layers to convert, or {@code null} for every DenseLayer and OutputLayer; a named
 *               layer that is missing from the network, or that cannot be converted, is an error
 */
public record SpectralizeOptions(SpectralPreset preset, Set<String> layers) {

    /** Preset EIGENVALUES, every DenseLayer and OutputLayer. */
    public static final SpectralizeOptions DEFAULT = new SpectralizeOptions(SpectralPreset.EIGENVALUES, null);

    public SpectralizeOptions {
        Objects.requireNonNull(preset, "SpectralizeOptions: preset = null; expected one of "
                + Arrays.toString(SpectralPreset.values()));
        layers = layers == null ? null : Set.copyOf(new LinkedHashSet<>(layers));
    }

    /** These options with another preset for the converted layers. */
    public SpectralizeOptions withPreset(SpectralPreset newPreset) {
        return new SpectralizeOptions(newPreset, layers);
    }

    /** These options converting only the layers named here (e.g. the hidden layers, keeping the output layer). */
    public SpectralizeOptions onlyLayers(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("SpectralizeOptions.onlyLayers: no layer names; expected at least one");
        }
        return new SpectralizeOptions(preset, Set.copyOf(Arrays.asList(names)));
    }

    /** Whether the layer {@code name} is one to convert. */
    boolean selects(String name) {
        return layers == null || layers.contains(name);
    }
}
