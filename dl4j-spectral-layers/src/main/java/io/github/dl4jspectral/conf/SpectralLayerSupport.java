package io.github.dl4jspectral.conf;

import io.github.dl4jspectral.blocks.WorkingMemory;
import io.github.dl4jspectral.blocks.PhiBlock;
import io.github.dl4jspectral.cpu.CpuSpeed;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one wiring path of every spectral layer configuration (native {@link SpectralDenseLayer},
 * {@link SpectralOutputLayer} and the SameDiff layer), so that each class holds only the one-line forwards its
 * DL4J base class forces: the size check of its {@link LayerSpec} at instantiation, the weight-noise check, creating and wiring the runtime
 * layer, the per-parameter updater and regularization (answered by {@link SpectralSettings}), the memory report and
 * the text form.
 */
public final class SpectralLayerSupport {

    private SpectralLayerSupport() {
    }

    /**
     * Checks sizes and the block when the builder runs.
     *
     * @deprecated use {@code LayerSpec.of(layer).checkBuilt()} ({@link LayerSpec#checkBuilt})
     */
    @Deprecated
    public static void validateBuilt(SpectralLayerConfig layer) {
        layer.spec().checkBuilt();
    }

    /**
     * Checks the whole configuration before parameters are created.
     *
     * @deprecated use {@link LayerSpec#checkSized} on {@link SpectralLayerConfig#spec()}
     */
    @Deprecated
    public static void validateForInstantiation(SpectralLayerConfig layer, int layerIndex) {
        layer.spec().checkSized(atIndex(layer, layerIndex));
    }

    /**
     * Checks a configuration whose sizes must now be known.
     *
     * @deprecated use {@code LayerSpec.of(layer, where).checkSized(where)}
     */
    @Deprecated
    public static void validateSized(SpectralLayerConfig layer, String where) {
        LayerSpec.of(layer, where).checkSized(where);
    }

    /**
     * The layer's validated spectral settings.
     *
     * @deprecated use {@code LayerSpec.of(layer, where).settings()}
     */
    @Deprecated
    public static SpectralSettings validSettings(SpectralLayerConfig layer, String where) {
        return LayerSpec.of(layer, where).settings();
    }

    /** "SpectralDenseLayer "h" (layer index 0)": the layer's description with its index in the network. */
    private static String atIndex(SpectralLayerConfig layer, int layerIndex) {
        return layer.describe() + " (layer index " + layerIndex + ")";
    }

    /**
     * Weight noise acts on a whole phi; a factored block (LOW_RANK, SVD, QR) has none, so the combination is rejected.
     *
     * @param weightNoise the layer's weight noise (possibly set globally), or {@code null}
     */
    public static void rejectUnsupportedWeightNoise(SpectralLayerConfig layer, Object weightNoise, int layerIndex) {
        PhiBlock block = layer.spec().block();
        if (weightNoise != null && !block.acceptsWeightNoise()) {
            throw new DL4JInvalidConfigException(atIndex(layer, layerIndex) + ": weight noise " + weightNoise + " with "
                    + block + "; expected no weightNoise with a factored block (weight noise acts on a whole phi: DENSE "
                    + "or SPARSE block)");
        }
    }

    /**
     * Validates {@code config} for instantiation (sizes, block, initialization, weight noise), creates its runtime
     * layer and wires it the way DL4J's own layers are wired, with the parameters of the configuration's own
     * initializer. A layer whose parameters are to be initialized and that has no initialization seed first gets one
     * from the network's seed and its index ({@link #initSeed}), recorded in its configuration.
     */
    public static <L extends Layer> L instantiate(SpectralLayerConfig config, Supplier<L> runtime,
                                                  NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                  int layerIndex, INDArray paramsView, boolean initializeParams) {
        CpuSpeed.checkOnFirstUse();
        config.spec().checkSized(atIndex(config, layerIndex));
        rejectUnsupportedWeightNoise(config, config.getWeightNoise(), layerIndex);
        if (initializeParams && config.getSpectral().getInitSeed() == null) {
            config.setSpectral(config.getSpectral().withInitSeed(initSeed(conf.getSeed(), layerIndex)));
        }
        L layer = runtime.get();
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(((org.deeplearning4j.nn.conf.layers.Layer) config).initializer()
                .init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    /**
     * The initialization seed of the layer at {@code layerIndex} in a network with seed {@code networkSeed}: the first
     * {@code nextLong()} of a {@code SplittableRandom} seeded with a mix of both, so that layers of one network, and the
     * same layer in networks of different seeds, get unrelated seeds.
     */
    public static long initSeed(long networkSeed, int layerIndex) {
        return new java.util.SplittableRandom(networkSeed * 0x9E3779B97F4A7C15L + layerIndex).nextLong();
    }

    /** The updater of the group with key {@code paramKey} ({@link SpectralSettings#updater}). */
    public static IUpdater updaterFor(SpectralLayerConfig layer, String paramKey) {
        return layer.getSpectral().updater(group(layer, paramKey), layer.getIUpdater(), layer.getBiasUpdater());
    }

    /** The regularization of the group with key {@code paramKey} ({@link SpectralSettings#regularization}). */
    public static List<Regularization> regularizationFor(SpectralLayerConfig layer, String paramKey) {
        return layer.getSpectral().regularization(group(layer, paramKey), layer.getRegularization(),
                layer.getRegularizationBias());
    }

    /**
     * Memory use: parameters, updater state of the trained groups only, and the working memory of the block
     * ({@link io.github.dl4jspectral.blocks.PhiBlock#workingMemory}): what the native runtime's forward pass
     * (inference) and backward pass (training) allocate with this block, e.g. two nIn x nOut arrays for a DENSE
     * block but only factor-sized arrays and [minibatch, 2r] intermediates for LOW_RANK, SVD and QR, unless the
     * layer sparsifies by magnitude. Training adds, as for DL4J's DenseLayer, the pre-activation per example (and
     * the input's dropout copy). The SameDiff layer reports the same numbers; its graph may hold more intermediates.
     */
    public static LayerMemoryReport memoryReport(SpectralLayerConfig layer, InputType inputType) {
        InputType outputType = ((org.deeplearning4j.nn.conf.layers.Layer) layer).getOutputType(-1, inputType);
        boolean hasDropout = layer.getIDropout() != null;
        LayerSpec spec = layer.spec();
        long numParams = spec.totalSize();
        long updaterState = 0;
        for (SpectralParam group : spec.groups()) {
            IUpdater updater = updaterFor(layer, group.key());
            updaterState += updater == null ? 0 : updater.stateSize(spec.size(group));
        }
        WorkingMemory working = spec.block()
                .workingMemory(spec.nIn(), spec.nOut(), spec.settings().getMagnitudeSparsity() > 0);
        long trainVariable = outputType.arrayElementsPerExample() + (hasDropout ? inputType.arrayElementsPerExample() : 0);
        return new LayerMemoryReport.Builder(layer.getLayerName(), layer.getClass(), inputType, outputType)
                .standardMemory(numParams, updaterState)
                .workingMemory(working.inferenceFixed(), working.inferencePerExample(), working.trainingFixed(),
                        trainVariable + working.trainingPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** "SpectralDenseLayer(describe, nIn=.., nOut=.., hasBias=.., settings, activation=..{@code extra})". */
    public static String toString(SpectralLayerConfig layer, String extra) {
        return layer.getClass().getSimpleName() + "(" + layer.describe() + ", nIn=" + layer.getNIn() + ", nOut="
                + layer.getNOut() + ", hasBias=" + layer.hasBias() + ", " + layer.getSpectral() + ", activation="
                + layer.getActivationFn() + extra + ")";
    }

    private static SpectralParam group(SpectralLayerConfig layer, String paramKey) {
        return SpectralParam.forKey(paramKey).orElseThrow(() -> new IllegalArgumentException(layer.describe()
                + ": unknown parameter key \"" + paramKey + "\"; expected one of "
                + layer.spec().keys()));
    }
}
