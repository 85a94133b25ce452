package io.github.dl4jspectral.conf;

import io.github.dl4jspectral.params.SpectralParamInitializer;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Behaviour shared by all spectral layer configurations (native {@link SpectralDenseLayer},
 * {@link SpectralOutputLayer} and the SameDiff layer), so that each class holds only its wiring:
 * size validation, per-group updaters and regularization (frozen groups get NoOp and none), and the
 * memory report.
 */
public final class SpectralLayerSupport {

    private SpectralLayerSupport() {
    }

    /** Checks sizes and the block when the builder runs: nIn may still be 0 (inferred later by setInputType). */
    public static void validateBuilt(SpectralLayerConfig layer) {
        if (layer.getNIn() < 0) {
            throw new DL4JInvalidConfigException(layer.describe() + ": nIn = " + layer.getNIn()
                    + "; expected nIn > 0, or 0 to infer it from the input type");
        }
        if (layer.getNOut() <= 0) {
            throw new DL4JInvalidConfigException(layer.describe() + ": nOut = " + layer.getNOut()
                    + "; expected nOut > 0");
        }
        layer.getSpectral().getBlock().validate(layer.describe(), layer.getNIn(), layer.getNOut());
    }

    /** Checks the whole configuration before parameters are created (also for configurations loaded from JSON). */
    public static void validateForInstantiation(SpectralLayerConfig layer, int layerIndex) {
        String where = layer.describe() + " (layer index " + layerIndex + ")";
        if (layer.getNIn() <= 0) {
            throw new DL4JInvalidConfigException(where + ": nIn = " + layer.getNIn()
                    + "; expected nIn > 0 (set nIn, or setInputType(...) on the network configuration)");
        }
        if (layer.getNOut() <= 0) {
            throw new DL4JInvalidConfigException(where + ": nOut = " + layer.getNOut() + "; expected nOut > 0");
        }
        if (layer.getSpectral() == null) {
            throw new DL4JInvalidConfigException(where + ": spectral settings missing; expected a SpectralSettings");
        }
        layer.getSpectral().getInit().validate(where);
        layer.getSpectral().getBlock().validate(where, layer.getNIn(), layer.getNOut());
    }

    /**
     * Weight noise acts on a whole phi; a factored block (LOW_RANK, SVD, QR) has none, so the combination is rejected.
     *
     * @param weightNoise the layer's weight noise (possibly set globally), or {@code null}
     */
    public static void rejectUnsupportedWeightNoise(SpectralLayerConfig layer, Object weightNoise, int layerIndex) {
        if (weightNoise != null && !layer.getSpectral().getBlock().layout().acceptsWeightNoise()) {
            throw new DL4JInvalidConfigException(layer.describe() + " (layer index " + layerIndex + "): weight noise "
                    + weightNoise + " with " + layer.getSpectral().getBlock() + "; expected no weightNoise with a "
                    + "factored block (weight noise acts on a whole phi: DENSE or SPARSE block)");
        }
    }

    /** Wires a freshly created runtime layer the way DL4J's own layers do. */
    static <L extends Layer> L wire(L layer, NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                    int layerIndex, INDArray paramsView, boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(SpectralParamInitializer.getInstance().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    /** Frozen groups get DL4J's NoOp updater, which keeps no state. */
    public static IUpdater updaterFor(SpectralLayerConfig layer, String paramKey, IUpdater updater, IUpdater biasUpdater) {
        SpectralParam group = group(layer, paramKey);
        if (!layer.getSpectral().trains(group)) {
            return new NoOp();
        }
        return group == SpectralParam.BIAS && biasUpdater != null ? biasUpdater : updater;
    }

    /** Frozen groups get no regularization; trained eigenvalues and phi get the weights' regularization. */
    public static List<Regularization> regularizationFor(SpectralLayerConfig layer, String paramKey,
                                                  List<Regularization> weights, List<Regularization> bias) {
        SpectralParam group = group(layer, paramKey);
        if (!layer.getSpectral().trains(group)) {
            return Collections.emptyList();
        }
        return group == SpectralParam.BIAS ? bias : weights;
    }

    /**
     * Memory use: parameters, updater state of the trained groups only, and the block's working memory
     * ({@link io.github.dl4jspectral.blocks.PhiBlock#workingMemory}).
     */
    public static LayerMemoryReport memoryReport(SpectralLayerConfig layer, Class<?> layerClass, InputType inputType,
                                          InputType outputType, boolean hasDropout,
                                          Function<String, IUpdater> updaterByParam) {
        long nIn = layer.getNIn();
        long nOut = layer.getNOut();
        long numParams = SpectralParamInitializer.totalSize(layer);
        long updaterState = 0;
        for (SpectralParam group : SpectralParamInitializer.groups(layer)) {
            IUpdater updater = updaterByParam.apply(group.key());
            updaterState += updater == null ? 0 : updater.stateSize(SpectralParamInitializer.size(layer, group));
        }
        long[] working = layer.getSpectral().getMagnitudeSparsity() > 0
                ? new long[]{4 * nIn * nOut, 0}   // phi (formed, for a factored block), D, W and the magnitude mask
                : layer.getSpectral().getBlock().layout().workingMemory(nIn, nOut);
        long trainVariable = outputType.arrayElementsPerExample() + (hasDropout ? inputType.arrayElementsPerExample() : 0);
        return new LayerMemoryReport.Builder(layer.getLayerName(), layerClass, inputType, outputType)
                .standardMemory(numParams, updaterState)
                .workingMemory(working[0], working[1], working[0], trainVariable + working[1])
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    private static SpectralParam group(SpectralLayerConfig layer, String paramKey) {
        return SpectralParam.forKey(paramKey).orElseThrow(() -> new IllegalArgumentException(layer.describe()
                + ": unknown parameter key \"" + paramKey + "\"; expected one of "
                + SpectralParamInitializer.getInstance().paramKeys((org.deeplearning4j.nn.conf.layers.Layer) layer)));
    }
}
