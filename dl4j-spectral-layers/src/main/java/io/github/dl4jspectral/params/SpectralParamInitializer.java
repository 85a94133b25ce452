package io.github.dl4jspectral.params;

import io.github.dl4jspectral.blocks.PhiBlock;
import io.github.dl4jspectral.blocks.PhiInit;
import io.github.dl4jspectral.blocks.SeededDraws;
import io.github.dl4jspectral.conf.LayerSpec;
import io.github.dl4jspectral.conf.SpectralInit;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
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

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * <p>Every size and initialization reads the layer's validated value ({@link SpectralLayerConfig#spec()}), so a
 * configuration that did not come from the builder (loaded from JSON, changed by setters) is checked before DL4J
 * counts its parameters.
 */
public final class SpectralParamInitializer implements ParamInitializer {

    private static final SpectralParamInitializer INSTANCE = new SpectralParamInitializer();

    private SpectralParamInitializer() {
    }

    public static SpectralParamInitializer getInstance() {
        return INSTANCE;
    }

    /** The groups the layer has, in flat-layout order ({@link LayerSpec#groups()}). */
    public static List<SpectralParam> groups(SpectralLayerConfig layer) {
        return layer.spec().groups();
    }

    /** The eigenvector block's groups: [phi], [phiU, phiV], ... as the block lays them out. */
    public static List<SpectralParam> eigenvectorGroups(SpectralLayerConfig layer) {
        return layer.spec().block().groups();
    }

    /** Number of values in {@code group} ({@link LayerSpec#size}). */
    public static long size(SpectralLayerConfig layer, SpectralParam group) {
        return layer.spec().size(group);
    }

    /** Number of values in all groups the layer has, trained and frozen ({@link LayerSpec#totalSize()}). */
    public static long totalSize(SpectralLayerConfig layer) {
        return layer.spec().totalSize();
    }

    /** Shape of {@code group} ({@link LayerSpec#shape}). */
    public static long[] shape(SpectralLayerConfig layer, SpectralParam group) {
        return layer.spec().shape(group);
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
        return spectral(layer).spec().keys();
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
     * Random draws come from the layer's seeded plain-Java generator ({@link SeededDraws} from
     * {@link SpectralSettings#getInitSeed()}), so the values depend only on the configuration; a layer without a seed
     * first gets one from ND4J's global generator (which DL4J seeds from the network's seed), recorded in its
     * configuration. Only a WeightInit without a plain-Java counterpart ({@link SeededDraws#of}) draws phi from ND4J.
     *
     * <p>The eigenvector block draws its own groups ({@link PhiBlock#initialize}), given the mode, the variance
     * the mode gives a dense phi, and the layer's WeightInit.
     *
     * @param params arrays keyed by {@link SpectralParam#key()}, shaped as {@link #shape}
     */
    public static void initialize(SpectralLayerConfig layer, Map<String, INDArray> params) {
        SpectralSettings settings = layer.spec().settings();
        if (settings.getInitSeed() == null) {
            settings = settings.withInitSeed(Nd4j.getRandom().nextLong());
            layer.setSpectral(settings);
        }
        SeededDraws draws = new SeededDraws(settings.getInitSeed());
        SpectralInit init = settings.getInit();
        PhiBlock block = settings.block();
        boolean pinned = settings.lambdaInPinnedToZero();
        INDArray lambdaIn = params.get(SpectralParam.LAMBDA_IN.key());
        INDArray lambdaOut = params.get(SpectralParam.LAMBDA_OUT.key());
        switch (init.getMode()) {
            case VARIANCE_MATCHED -> {
                // Var(lambdaIn) + Var(lambdaOut) = 1, so Var(W) = Var(phi); uniform in +-a has variance a^2/3.
                draws.uniform(lambdaIn, -Math.sqrt(1.5), Math.sqrt(1.5));
                draws.uniform(lambdaOut, -Math.sqrt(pinned ? 3.0 : 1.5), Math.sqrt(pinned ? 3.0 : 1.5));
            }
            case DENSE_EQUIVALENT -> {
                lambdaIn.assign(0);
                lambdaOut.assign(1);
            }
            case UNIFORM, AUTHORS_SVD, WEIGHT_INIT_PHI -> {
                draws.uniform(lambdaIn, init.getLambdaInMin(), init.getLambdaInMax());
                draws.uniform(lambdaOut, init.getLambdaOutMin(), init.getLambdaOutMax());
            }
        }
        if (pinned) {
            lambdaIn.assign(0);
        }
        PhiInit phiInit = new PhiInit(phi -> drawPhi(layer, init, phi, draws), () -> phiVariance(layer, init),
                init.getMode() == SpectralInit.Mode.VARIANCE_MATCHED, init.getMode() == SpectralInit.Mode.AUTHORS_SVD,
                draws);
        block.initialize(phiInit, params, layer.getNIn(), layer.getNOut());
        INDArray bias = params.get(SpectralParam.BIAS.key());
        if (bias != null) {
            bias.assign(Double.isNaN(layer.getBiasInit()) ? 0.0 : layer.getBiasInit());
        }
    }

    /**
     * Whether {@link #initialize} gives this layer values that depend only on its configuration, bit for bit on every
     * machine and backend: it has an initialization seed, its block regenerates portably
     * ({@link PhiBlock#regeneratesPortably()}), and its phi is drawn from the uniform range or by a WeightInit with a
     * plain-Java counterpart ({@link SeededDraws#of}).
     */
    public static boolean drawsPortably(SpectralLayerConfig layer) {
        SpectralSettings settings = layer.spec().settings();
        SpectralInit.Mode mode = settings.getInit().getMode();
        boolean phiByWeightInit = mode != SpectralInit.Mode.UNIFORM
                && !(mode == SpectralInit.Mode.AUTHORS_SVD && settings.block().hasAuthorsInit());
        return settings.getInitSeed() != null && settings.block().regeneratesPortably()
                && (!phiByWeightInit || javaWeightInit(layer).isPresent());
    }

    /**
     * Var(phi) of a dense phi under {@code init}: that of the uniform range, or E[W^2] of the layer's WeightInit (exact
     * for the weight inits {@link SeededDraws} draws; measured on a draw of at most 128 x 128 entries with the layer's
     * fan-in and fan-out for the others, never an nIn x nOut matrix).
     */
    private static double phiVariance(SpectralLayerConfig layer, SpectralInit init) {
        if (init.getMode() == SpectralInit.Mode.UNIFORM) {
            return Math.pow(init.getPhiMax() - init.getPhiMin(), 2) / 12;
        }
        Optional<SeededDraws.Distribution> java = javaWeightInit(layer);
        if (java.isPresent()) {
            return java.get().meanSquare();
        }
        INDArray sample = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.DOUBLE,
                new long[]{Math.min(layer.getNIn(), 128), Math.min(layer.getNOut(), 128)}, 'f');
        weightInitFn(layer).init(layer.getNIn(), layer.getNOut(), sample.shape(), IWeightInit.DEFAULT_WEIGHT_INIT_ORDER,
                sample);
        return sample.mul(sample).meanNumber().doubleValue();
    }

    /** Draws a whole phi as {@code init} says: uniform in its range, or by the layer's WeightInit. */
    private static void drawPhi(SpectralLayerConfig layer, SpectralInit init, INDArray phi, SeededDraws draws) {
        if (init.getMode() == SpectralInit.Mode.UNIFORM) {
            draws.uniform(phi, init.getPhiMin(), init.getPhiMax());
        } else {
            weightInit(layer, phi, draws);
        }
    }

    /**
     * Draws {@code target} as the layer's WeightInit draws a DenseLayer's W (fan-in nIn, fan-out nOut): from the same
     * distribution with the layer's seeded generator when {@link SeededDraws} knows it, else by the WeightInit (ND4J).
     */
    private static void weightInit(SpectralLayerConfig layer, INDArray target, SeededDraws draws) {
        Optional<SeededDraws.Distribution> java = javaWeightInit(layer);
        if (java.isPresent()) {
            draws.draw(target, java.get());
        } else {
            weightInitFn(layer).init(layer.getNIn(), layer.getNOut(), target.shape(),
                    IWeightInit.DEFAULT_WEIGHT_INIT_ORDER, target);
        }
    }

    private static Optional<SeededDraws.Distribution> javaWeightInit(SpectralLayerConfig layer) {
        return SeededDraws.of(weightInitFn(layer), layer.getNIn(), layer.getNOut());
    }

    private static IWeightInit weightInitFn(SpectralLayerConfig layer) {
        return layer.getWeightInitFn() != null ? layer.getWeightInitFn() : WeightInit.XAVIER.getWeightInitFunction();
    }

    private static Map<String, INDArray> views(SpectralLayerConfig layer, INDArray flat) {
        LayerSpec spec = layer.spec();
        long expected = spec.totalSize();
        if (flat.length() != expected) {
            throw new IllegalStateException(layer.describe() + ": parameter view has length " + flat.length()
                    + "; expected " + expected);
        }
        INDArray vector = flat.reshape(flat.length());
        Map<String, INDArray> views = new LinkedHashMap<>();
        long offset = 0;
        for (SpectralParam group : spec.groups()) {
            long size = spec.size(group);
            INDArray slice = vector.get(NDArrayIndex.interval(offset, offset + size));
            views.put(group.key(), slice.reshape('f', spec.shape(group)));
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
