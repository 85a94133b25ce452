package io.github.dl4jspectral.export;

import io.github.dl4jspectral.conf.SparseDenseLayer;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.layers.EffectiveWeights;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Collapses every layer of this library in a network into an ordinary DL4J layer (docs/METHOD.md section 6):
 * <ul>
 *   <li>{@link SpectralDenseLayer} and the SameDiff spectral layer become a {@link DenseLayer},
 *       {@link SpectralOutputLayer} an {@link OutputLayer} (each read through {@link SpectralLayerConfig}), with
 *       {@code W = phi .* (lambdaIn^T - lambdaOut)} (any block, {@link EffectiveWeights}) and the same bias;</li>
 *   <li>the conventional fixed-support baseline {@link SparseDenseLayer} becomes a {@link DenseLayer} with its masked
 *       weights, {@code W .* support} (zero off the support) and the same bias. Training the exported layer further
 *       trains every weight: the support is not kept.</li>
 * </ul>
 * Each keeps its name, activation, loss, dropout, weight noise, updater, bias updater, regularization, weight and
 * bias init, gradient normalization and constraints. The result is a new network whose configuration holds no class
 * of this library, so it loads and runs without it and at DenseLayer speed; the input network is untouched. Every
 * other layer is copied unchanged.
 *
 * <p>Constraints. A SparseDenseLayer's constraints already name {@code W} and {@code b} and are copied. A spectral
 * layer's constraints name spectral parameter keys ({@code constrainWeights} selects the eigenvector block's groups
 * and the eigenvalues, {@code constrainBias} the bias {@code b}, {@code constrainAllParameters} all of them); each is
 * carried over with its keys mapped onto the dense layer's:
 * <ul>
 *   <li>a weight-like key (phi or its factors, lambdaIn, lambdaOut) becomes {@code W}, the weights they make up;</li>
 *   <li>{@code b} stays {@code b};</li>
 *   <li>a constraint left with no key (none in practice) is dropped.</li>
 * </ul>
 * The constraint then acts on the exported network's W and b when it is trained further. In the spectral network it
 * acted on the trained groups among phi, the factors and the eigenvalues; a bound on those is not the same bound on
 * their product W, so the exported network is constrained as a dense network would be, not as the spectral one was.
 *
 * <p>Frozen layers. A layer of this library inside DL4J's {@link FrozenLayer} (what {@code TransferLearning}'s
 * {@code setFeatureExtractor} makes of the layers it freezes, in a MultiLayerNetwork and in a ComputationGraph) or
 * {@link FrozenLayerWithBackprop} becomes the same wrapper around its dense equivalent, under the wrapper's name: the
 * exported layer computes the same and stays frozen. A layer of this library inside any other wrapper is rejected
 * with an error naming the layer.
 */
public final class DirectSpaceExport {

    private static final String LIBRARY_PACKAGE = "io.github.dl4jspectral";

    private DirectSpaceExport() {
    }

    /** The exported copy of a MultiLayerNetwork. */
    public static MultiLayerNetwork toDense(MultiLayerNetwork network) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations().clone();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            replaceIfLibraryLayer(conf.getConf(i), "index " + i);
        }
        requireNoLibraryClass(conf.toJson(), "the network configuration");
        MultiLayerNetwork exported = new MultiLayerNetwork(conf);
        exported.init();
        for (int i = 0; i < network.getnLayers(); i++) {
            copyParams(network.getLayer(i), exported.getLayer(i));
        }
        return exported;
    }

    /** The exported copy of a ComputationGraph. */
    public static ComputationGraph toDense(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        for (Map.Entry<String, GraphVertex> vertex : conf.getVertices().entrySet()) {
            if (vertex.getValue() instanceof LayerVertex layerVertex) {
                replaceIfLibraryLayer(layerVertex.getLayerConf(), "vertex \"" + vertex.getKey() + "\"");
            }
        }
        requireNoLibraryClass(conf.toJson(), "the graph configuration");
        ComputationGraph exported = new ComputationGraph(conf);
        exported.init();
        for (Layer layer : graph.getLayers()) {
            copyParams(layer, exported.getLayer(layer.conf().getLayer().getLayerName()));
        }
        return exported;
    }

    /**
     * The DL4J layer a layer of this library becomes (a spectral layer, or a {@link SparseDenseLayer}); a
     * {@link FrozenLayer} or {@link FrozenLayerWithBackprop} around one becomes the same wrapper, with the same name,
     * around its equivalent; any other layer is returned as it is.
     */
    public static org.deeplearning4j.nn.conf.layers.Layer denseEquivalent(org.deeplearning4j.nn.conf.layers.Layer layer) {
        if (layer instanceof FrozenLayer frozen && isLibraryLayer(frozen.getLayer())) {
            FrozenLayer wrapper = new FrozenLayer(denseEquivalent(frozen.getLayer()));
            wrapper.setLayerName(frozen.getLayerName());
            return wrapper;
        }
        if (layer instanceof FrozenLayerWithBackprop frozen && isLibraryLayer(frozen.getUnderlying())) {
            FrozenLayerWithBackprop wrapper = new FrozenLayerWithBackprop(denseEquivalent(frozen.getUnderlying()));
            wrapper.setLayerName(frozen.getLayerName());
            return wrapper;
        }
        if (layer instanceof SparseDenseLayer sparse) {
            DenseLayer plain = new DenseLayer.Builder().nIn(sparse.getNIn()).nOut(sparse.getNOut()).hasBias(true).build();
            plain.setActivationFn(sparse.getActivationFn());
            plain.setLayerName(sparse.getLayerName());
            plain.setIUpdater(sparse.getIUpdater());
            plain.setBiasUpdater(sparse.getBiasUpdater());
            plain.setRegularization(sparse.getRegularization());
            plain.setRegularizationBias(sparse.getRegularizationBias());
            plain.setWeightInitFn(sparse.getWeightInitFn());
            plain.setBiasInit(sparse.getBiasInit());
            plain.setGainInit(sparse.getGainInit());
            plain.setGradientNormalization(sparse.getGradientNormalization());
            plain.setGradientNormalizationThreshold(sparse.getGradientNormalizationThreshold());
            plain.setIDropout(sparse.getIDropout());
            plain.setWeightNoise(sparse.getWeightNoise());
            plain.setConstraints(copies(sparse.getConstraints()));
            return plain;
        }
        if (!(layer instanceof SpectralLayerConfig s)) {
            return layer;
        }
        BaseLayer plain = layer instanceof SpectralOutputLayer out
                ? new OutputLayer.Builder(out.getLossFn()).nIn(s.getNIn()).nOut(s.getNOut()).hasBias(s.hasBias()).build()
                : new DenseLayer.Builder().nIn(s.getNIn()).nOut(s.getNOut()).hasBias(s.hasBias()).build();
        plain.setActivationFn(s.getActivationFn());
        plain.setLayerName(s.getLayerName());
        plain.setIUpdater(s.getIUpdater());
        plain.setBiasUpdater(s.getBiasUpdater());
        plain.setRegularization(s.getRegularization());
        plain.setRegularizationBias(s.getRegularizationBias());
        plain.setWeightInitFn(s.getWeightInitFn());
        plain.setBiasInit(s.getBiasInit());
        if (layer instanceof BaseLayer base) {
            plain.setGainInit(base.getGainInit());   // DL4J layers' layer-norm gain; a SameDiff layer has none
        }
        plain.setGradientNormalization(s.getGradientNormalization());
        plain.setGradientNormalizationThreshold(s.getGradientNormalizationThreshold());
        plain.setIDropout(s.getIDropout());
        plain.setWeightNoise(s.getWeightNoise());
        plain.setConstraints(onDenseKeys(layer.getConstraints(), s.hasBias()));
        return plain;
    }

    /**
     * The constraints of a spectral layer with their keys mapped onto a dense layer's (see the class description):
     * weight-like keys to {@code W}, {@code b} to {@code b} (if the layer has a bias); {@code null} for none.
     */
    private static List<LayerConstraint> onDenseKeys(List<LayerConstraint> constraints, boolean hasBias) {
        if (constraints == null || constraints.isEmpty()) {
            return null;
        }
        List<LayerConstraint> mapped = new ArrayList<>();
        for (LayerConstraint constraint : constraints) {
            Set<String> keys = new TreeSet<>();
            for (String key : constraint.getParams()) {
                SpectralParam.forKey(key).ifPresent(group -> {
                    if (group != SpectralParam.BIAS) {
                        keys.add(DefaultParamInitializer.WEIGHT_KEY);
                    } else if (hasBias) {
                        keys.add(DefaultParamInitializer.BIAS_KEY);
                    }
                });
            }
            if (!keys.isEmpty()) {
                LayerConstraint copy = constraint.clone();
                copy.setParams(keys);
                mapped.add(copy);
            }
        }
        return mapped.isEmpty() ? null : mapped;
    }

    private static List<LayerConstraint> copies(List<LayerConstraint> constraints) {
        return constraints == null ? null : new ArrayList<>(constraints.stream().map(LayerConstraint::clone).toList());
    }

    private static void replaceIfLibraryLayer(NeuralNetConfiguration layerConf, String where) {
        org.deeplearning4j.nn.conf.layers.Layer layer = layerConf.getLayer();
        org.deeplearning4j.nn.conf.layers.Layer exported = denseEquivalent(layer);
        if (exported != layer) {
            layerConf.setLayer(exported);
            layerConf.clearVariables();
        } else {
            requireNoLibraryClass(layerConf.toJson(), "layer \"" + layer.getLayerName() + "\" (" + where + ", "
                    + layer.getClass().getSimpleName() + ")");
        }
    }

    private static boolean isLibraryLayer(org.deeplearning4j.nn.conf.layers.Layer layer) {
        return layer instanceof SpectralLayerConfig || layer instanceof SparseDenseLayer;
    }

    /** Copies {@code from}'s parameters, converted if it is a layer of this library (frozen or not), into {@code to}. */
    private static void copyParams(Layer from, Layer to) {
        org.deeplearning4j.nn.conf.layers.Layer conf = from.conf().getLayer();
        // a frozen layer's conf() is its inner layer's in DL4J M2.1; the wrapper, should it ever be given, is unwrapped
        if (conf instanceof FrozenLayer frozen) {
            conf = frozen.getLayer();
        } else if (conf instanceof FrozenLayerWithBackprop frozen) {
            conf = frozen.getUnderlying();
        }
        Map<String, INDArray> params = from.paramTable();
        if (conf instanceof SpectralLayerConfig spectral) {
            to.setParam(DefaultParamInitializer.WEIGHT_KEY, EffectiveWeights.of(spectral, params));
            if (spectral.hasBias()) {
                to.setParam(DefaultParamInitializer.BIAS_KEY, params.get(SpectralParam.BIAS.key()));
            }
        } else if (conf instanceof SparseDenseLayer sparse) {
            INDArray w = params.get(DefaultParamInitializer.WEIGHT_KEY);
            to.setParam(DefaultParamInitializer.WEIGHT_KEY, w.mul(sparse.support(w.dataType())));
            to.setParam(DefaultParamInitializer.BIAS_KEY, params.get(DefaultParamInitializer.BIAS_KEY));
        } else {
            params.forEach(to::setParam);
        }
    }

    /** Rejects {@code text} (the JSON of {@code what}) if it names a class of this library. */
    private static void requireNoLibraryClass(String text, String what) {
        int at = text.indexOf(LIBRARY_PACKAGE);
        if (at >= 0) {
            int end = text.indexOf('"', at);
            throw new IllegalArgumentException("DirectSpaceExport: " + what + " contains "
                    + text.substring(at, end < 0 ? text.length() : end) + ", inside a wrapper this export does not "
                    + "convert; expected the library's layers (spectral layers, "
                    + "SparseDenseLayer) at the top level or inside FrozenLayer / FrozenLayerWithBackprop (unwrap other "
                    + "wrappers before exporting)");
        }
    }
}
