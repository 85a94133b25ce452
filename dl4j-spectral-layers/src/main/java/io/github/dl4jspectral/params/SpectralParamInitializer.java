package io.github.dl4jspectral.params;

import io.github.dl4jspectral.blocks.PhiBlock;
import io.github.dl4jspectral.blocks.PhiInit;
import io.github.dl4jspectral.conf.SpectralInit;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralLayerSupport;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.conf.SpectralSettings;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out and initializes the parameters of a spectral layer, the counterpart of DL4J's
 * {@link org.deeplearning4j.nn.params.DefaultParamInitializer}.
 *
 * <p>Flat layout, in this order: the eigenvector block's groups as its {@link PhiBlock} lays them out
 * ({@code phi} [nIn, nOut], 'f' order like DL4J's W, for DENSE and SPARSE; {@code phiU} [nIn, r] and
 * {@code phiV} [nOut, r] for LOW_RANK; ...); then {@code lambdaIn} [1, nIn], {@code lambdaOut} [1, nOut],
 * {@code b} [1, nOut] (if the layer has a bias). All groups are stored, frozen ones too, so that
 * a saved model holds everything; the counts of trainable and frozen numbers are in
 * {@link io.github.dl4jspectral.count.ParameterCounts}.
 *
 * <p>phi, lambdaIn and lambdaOut count as DL4J "weight" parameters (weight noise, l1/l2 and weight
 * decay apply to them when trained), {@code b} as the bias. Initial values follow the layer's
 * {@link SpectralInit}.
 *
 * <p>Every size and initialization asks for the layer's settings through
 * {@link SpectralLayerSupport#validSettings}, the builder's own validation, so a configuration that did not come
 * from the builder (loaded from JSON, changed by setters) is checked before DL4J counts its parameters.
 */
public final class SpectralParamInitializer implements ParamInitializer {

    private static final SpectralParamInitializer INSTANCE = new SpectralParamInitializer();

    private SpectralParamInitializer() {
    }

    public static SpectralParamInitializer getInstance() {
        return INSTANCE;
    }

    /** The groups the layer has, in flat-layout order: its block's, lambdaIn, lambdaOut, then b if it has a bias. */
    public static List<SpectralParam> groups(SpectralLayerConfig layer) {
        List<SpectralParam> groups = new ArrayList<>(eigenvectorGroups(layer));
        groups.add(SpectralParam.LAMBDA_IN);
        groups.add(SpectralParam.LAMBDA_OUT);
        if (layer.hasBias()) {
            groups.add(SpectralParam.BIAS);
        }
        return groups;
    }

    /** The eigenvector block's groups: [phi], [phiU, phiV], ... as the block lays them out. */
    public static List<SpectralParam> eigenvectorGroups(SpectralLayerConfig layer) {
        return block(layer).groups();
    }

    /** Number of values in {@code group}. */
    public static long size(SpectralLayerConfig layer, SpectralParam group) {
        return PhiBlock.size(shape(layer, group));
    }

    /** Number of values in all groups the layer has, trained and frozen. */
    public static long totalSize(SpectralLayerConfig layer) {
        return groups(layer).stream().mapToLong(g -> size(layer, g)).sum();
    }

    /** Shape of {@code group}: the block's for its groups, [1, nIn] for lambdaIn, [1, nOut] for lambdaOut and b. */
    public static long[] shape(SpectralLayerConfig layer, SpectralParam group) {
        if (group.isEigenvectorBlock()) {
            return block(layer).shape(group, layer.getNIn(), layer.getNOut());
        }
        return new long[]{1, group == SpectralParam.LAMBDA_IN ? layer.getNIn() : layer.getNOut()};
    }

    private static PhiBlock block(SpectralLayerConfig layer) {
        return settings(layer).getBlock().layout();
    }

    /**
     * The layer's settings, validated as the builder validates them ({@link SpectralLayerSupport#validSettings}):
     * everything that sizes or initializes a layer asks here first, so a configuration loaded from JSON with missing
     * or contradicting settings is rejected with a clear message before its parameters are counted.
     */
    private static SpectralSettings settings(SpectralLayerConfig layer) {
        return SpectralLayerSupport.validSettings(layer, layer.describe());
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return totalSize(spectral(layer));
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return groups(spectral(layer)).stream().map(SpectralParam::key).toList();
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return groups(spectral(layer)).stream().filter(g -> g != SpectralParam.BIAS).map(SpectralParam::key).toList();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return spectral(layer).hasBias() ? List.of(SpectralParam.BIAS.key()) : Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return SpectralParam.BIAS.key().equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        SpectralLayerConfig layer = spectral(conf.getLayer());
        Map<String, INDArray> params = views(layer, paramsView);
        params.keySet().forEach(conf::addVariable);
        if (initializeParams) {
            initialize(layer, params);
        }
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(spectral(conf.getLayer()), gradientView);
    }

    /**
     * Writes initial values into the layer's parameter arrays (docs/METHOD.md section 7, see {@link SpectralInit}).
     * Random draws use ND4J's global random generator, which DL4J seeds from the network's seed.
     *
     * <p>The eigenvector block draws its own groups ({@link PhiBlock#initialize}), given the mode, the variance
     * the mode gives a dense phi, and the layer's WeightInit.
     *
     * @param params arrays keyed by {@link SpectralParam#key()}, shaped as {@link #shape}
     */
    public static void initialize(SpectralLayerConfig layer, Map<String, INDArray> params) {
        SpectralSettings settings = settings(layer);
        SpectralInit init = settings.getInit();
        PhiBlock block = settings.getBlock().layout();
        boolean pinned = settings.lambdaInPinnedToZero();
        INDArray lambdaIn = params.get(SpectralParam.LAMBDA_IN.key());
        INDArray lambdaOut = params.get(SpectralParam.LAMBDA_OUT.key());
        switch (init.getMode()) {
            case VARIANCE_MATCHED -> {
                // Var(lambdaIn) + Var(lambdaOut) = 1, so Var(W) = Var(phi); uniform in +-a has variance a^2/3.
                PhiInit.uniform(lambdaIn, -Math.sqrt(1.5), Math.sqrt(1.5));
                PhiInit.uniform(lambdaOut, -Math.sqrt(pinned ? 3.0 : 1.5), Math.sqrt(pinned ? 3.0 : 1.5));
            }
            case DENSE_EQUIVALENT -> {
                lambdaIn.assign(0);
                lambdaOut.assign(1);
            }
            case UNIFORM, AUTHORS_SVD, WEIGHT_INIT_PHI -> {
                PhiInit.uniform(lambdaIn, init.getLambdaInMin(), init.getLambdaInMax());
                PhiInit.uniform(lambdaOut, init.getLambdaOutMin(), init.getLambdaOutMax());
            }
        }
        if (pinned) {
            lambdaIn.assign(0);
        }
        block.initialize(new PhiInit(init, () -> phiVariance(layer, init), target -> weightInit(layer, target)), params,
                layer.getNIn(), layer.getNOut());
        INDArray bias = params.get(SpectralParam.BIAS.key());
        if (bias != null) {
            bias.assign(Double.isNaN(layer.getBiasInit()) ? 0.0 : layer.getBiasInit());
        }
    }

    /**
     * Var(phi) of a dense phi under {@code init}: that of the uniform range, or the mean square of the entries the
     * layer's WeightInit draws, measured on a draw of at most 128 x 128 entries with the layer's fan-in and fan-out
     * (never an nIn x nOut matrix).
     */
    private static double phiVariance(SpectralLayerConfig layer, SpectralInit init) {
        if (init.getMode() == SpectralInit.Mode.UNIFORM) {
            return Math.pow(init.getPhiMax() - init.getPhiMin(), 2) / 12;
        }
        INDArray sample = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.DOUBLE,
                new long[]{Math.min(layer.getNIn(), 128), Math.min(layer.getNOut(), 128)}, 'f');
        weightInit(layer, sample);
        return sample.mul(sample).meanNumber().doubleValue();
    }

    /** Draws {@code target} as the layer's WeightInit draws a DenseLayer's W (fan-in nIn, fan-out nOut). */
    private static void weightInit(SpectralLayerConfig layer, INDArray target) {
        IWeightInit weightInit = layer.getWeightInitFn() != null
                ? layer.getWeightInitFn() : WeightInit.XAVIER.getWeightInitFunction();
        weightInit.init(layer.getNIn(), layer.getNOut(), target.shape(), IWeightInit.DEFAULT_WEIGHT_INIT_ORDER, target);
    }

    private static Map<String, INDArray> views(SpectralLayerConfig layer, INDArray flat) {
        long expected = totalSize(layer);
        if (flat.length() != expected) {
            throw new IllegalStateException(layer.describe() + ": parameter view has length " + flat.length()
                    + "; expected " + expected);
        }
        INDArray vector = flat.reshape(flat.length());
        Map<String, INDArray> views = new LinkedHashMap<>();
        long offset = 0;
        for (SpectralParam group : groups(layer)) {
            long size = size(layer, group);
            INDArray slice = vector.get(NDArrayIndex.interval(offset, offset + size));
            views.put(group.key(), slice.reshape('f', shape(layer, group)));
            offset += size;
        }
        return views;
    }

    private static SpectralLayerConfig spectral(Layer layer) {
        if (layer instanceof SpectralLayerConfig spectral) {
            return spectral;
        }
        throw new IllegalArgumentException("SpectralParamInitializer: layer " + layer.getLayerName() + " is a "
                + layer.getClass().getSimpleName() + "; expected a SpectralDenseLayer or SpectralOutputLayer");
    }
}
