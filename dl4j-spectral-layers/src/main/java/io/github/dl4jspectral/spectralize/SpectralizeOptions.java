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
 * @param start  how W is split into phi and the eigenvalues; default {@link Start#UNIT_EIGENVALUES}
 */
public record SpectralizeOptions(SpectralPreset preset, Set<String> layers, Start start) {

    /** Preset EIGENVALUES, every DenseLayer and OutputLayer, {@link Start#UNIT_EIGENVALUES}. */
    public static final SpectralizeOptions DEFAULT = new SpectralizeOptions(SpectralPreset.EIGENVALUES, null,
            Start.UNIT_EIGENVALUES);

    /** How the trained W of a map is written as {@code phi .* (lambdaIn^T - lambdaOut)}; lambdaIn = 0 in both. */
    public enum Start {
        /**
         * {@code phi = W}, {@code lambdaOut = -1}: exact, entry for entry. Every eigenvalue starts equal, so after
         * eigenvalue training each one records how much its node's links were scaled since the conversion.
         */
        UNIT_EIGENVALUES,
        /**
         * {@code lambdaOut[i] = -||W[:, i]||} (the L2 norm of the receiving node's incoming weights) and
         * {@code phi[:, i] = W[:, i] / ||W[:, i]||} (unit columns; a zero column keeps phi = 0 and lambdaOut = -1):
         * equal to W up to one rounding per entry. Each eigenvalue starts at its node's incoming weight magnitude, so
         * |lambdaOut| ranks nodes as a magnitude criterion would, and eigenvalue training refines it.
         */
        COLUMN_NORMS
    }

    public SpectralizeOptions {
        Objects.requireNonNull(preset, "SpectralizeOptions: preset = null; expected one of "
                + Arrays.toString(SpectralPreset.values()));
        layers = layers == null ? null : Set.copyOf(new LinkedHashSet<>(layers));
        Objects.requireNonNull(start, "SpectralizeOptions: start = null; expected one of " + Arrays.toString(Start.values()));
    }

    /** These options with another preset for the converted layers. */
    public SpectralizeOptions withPreset(SpectralPreset newPreset) {
        return new SpectralizeOptions(newPreset, layers, start);
    }

    /** These options converting only the layers named here (e.g. the hidden layers, keeping the output layer). */
    public SpectralizeOptions onlyLayers(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("SpectralizeOptions.onlyLayers: no layer names; expected at least one");
        }
        return new SpectralizeOptions(preset, Set.copyOf(Arrays.asList(names)), start);
    }

    /** These options with another way of splitting W into phi and the eigenvalues. */
    public SpectralizeOptions withStart(Start newStart) {
        return new SpectralizeOptions(preset, layers, newStart);
    }

    /** Whether the layer {@code name} is one to convert. */
    boolean selects(String name) {
        return layers == null || layers.contains(name);
    }
}
