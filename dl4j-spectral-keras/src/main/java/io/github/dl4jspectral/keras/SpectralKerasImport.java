package io.github.dl4jspectral.keras;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Imports Keras H5 model files (saved by Keras 2 or Keras 3 with {@code model.save("...h5")}) into DL4J networks,
 * with the reference code's {@code Spectral} layer imported as a {@link io.github.dl4jspectral.conf.SpectralDenseLayer}
 * ({@link KerasSpectral}). Every layer DL4J's own Keras import supports is supported; the rest are refused with the
 * layer named.
 *
 * <p>The file is never changed: a normalized copy (see {@link KerasH5Normalizer}) is written to a temporary file,
 * given to DL4J's {@link KerasModelImport}, and deleted before the method returns, also on failure.
 *
 * <pre>{@code
 * MultiLayerNetwork net = SpectralKerasImport.importSequential(Path.of("model.h5"));
 * ComputationGraph graph = SpectralKerasImport.importFunctional(Path.of("functional.h5"));
 * }</pre>
 *
 * With {@code enforceTrainingConfig} true, as for DL4J's import, the loss and optimizer are imported too and any
 * training setting that cannot be imported (such as a Spectral layer's regularizer) is an error; with false (the
 * default) such settings are dropped and the network computes the same outputs.
 */
public final class SpectralKerasImport {

    /** The documentation link DL4J appends to every Keras import message. */
    private static final Pattern DL4J_LINK = Pattern.compile("\\. For more information, see \\S+$");
    private static final Pattern UNSUPPORTED_LAYER = Pattern.compile("Unsupported keras layer type ([\\w>]+)");

    private SpectralKerasImport() {
    }

    /** A Keras {@code Sequential} model as a MultiLayerNetwork, without its training configuration. */
    public static MultiLayerNetwork importSequential(Path h5File) throws KerasImportException {
        return importSequential(h5File, false);
    }

    /** A Keras {@code Sequential} model as a MultiLayerNetwork. */
    public static MultiLayerNetwork importSequential(Path h5File, boolean enforceTrainingConfig)
            throws KerasImportException {
        return importNormalized(h5File, enforceTrainingConfig, copy ->
                KerasModelImport.importKerasSequentialModelAndWeights(copy.toString(), enforceTrainingConfig));
    }

    /** A Keras functional model ({@code keras.Model(inputs, outputs)}) as a ComputationGraph, without its training configuration. */
    public static ComputationGraph importFunctional(Path h5File) throws KerasImportException {
        return importFunctional(h5File, false);
    }

    /** A Keras functional model ({@code keras.Model(inputs, outputs)}) as a ComputationGraph. */
    public static ComputationGraph importFunctional(Path h5File, boolean enforceTrainingConfig)
            throws KerasImportException {
        return importNormalized(h5File, enforceTrainingConfig, copy ->
                KerasModelImport.importKerasModelAndWeights(copy.toString(), enforceTrainingConfig));
    }

    private interface Importer<M> {
        M load(Path normalizedCopy) throws Exception;
    }

    private static <M> M importNormalized(Path h5File, boolean enforceTrainingConfig, Importer<M> importer)
            throws KerasImportException {
        KerasSpectral.register();
        KerasH5Normalizer.NormalizedCopy copy = KerasH5Normalizer.normalizedCopy(h5File, enforceTrainingConfig);
        try {
            return importer.load(copy.path());
        } catch (Exception e) {
            Throwable configError = kerasConfigurationCause(e);
            if (configError != null) {
                throw new KerasImportException(h5File + ": " + describe(copy.sourceModelConfig(),
                        configError.getMessage()), e);
            }
            throw new KerasImportException(h5File + ": DL4J's Keras import failed (" + e + "); expected a model of"
                    + " layers DL4J's Keras import supports, or Spectral", e);
        } finally {
            KerasH5Normalizer.deleteQuietly(copy.path());
        }
    }

    /**
     * The Keras configuration error behind {@code e}, if any: DL4J wraps one thrown by a custom layer's constructor
     * (such as {@link KerasSpectral}'s) in a RuntimeException that only says the constructor is missing.
     */
    private static Throwable kerasConfigurationCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidKerasConfigurationException || t instanceof UnsupportedKerasConfigurationException) {
                return t;
            }
        }
        return null;
    }

    /** DL4J's message, with the layers of an unsupported class named. */
    private static String describe(String modelConfig, String dl4jMessage) {
        String message = DL4J_LINK.matcher(String.valueOf(dl4jMessage)).replaceFirst("");
        Matcher unsupported = UNSUPPORTED_LAYER.matcher(message);
        if (!unsupported.find()) {
            return message;
        }
        String className = unsupported.group(1);
        List<String> layers = new ArrayList<>();
        try {
            KerasConfigNormalizer.layerClasses(modelConfig).forEach((layer, layerClass) -> {
                if (layerClass.equals(className)) {
                    layers.add("\"" + layer + "\"");
                }
            });
        } catch (KerasImportException unreadable) {
            // the configuration was read once already; an unreadable one names no layer
        }
        return "layer " + String.join(", ", layers) + " class_name = " + className + "; expected a layer DL4J's Keras import supports"
                + " (Dense, Dropout, Activation, InputLayer, ...) or one of " + KerasSpectral.CLASS_NAMES;
    }
}
