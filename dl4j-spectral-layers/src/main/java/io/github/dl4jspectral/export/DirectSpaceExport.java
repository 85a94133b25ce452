package io.github.dl4jspectral.export;

import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.layers.EffectiveWeights;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Collapses every spectral layer of a network into an ordinary DL4J layer (docs/METHOD.md section 6):
 * {@link SpectralDenseLayer} and the SameDiff spectral layer become a {@link DenseLayer},
 * {@link SpectralOutputLayer} an {@link OutputLayer} (each read through {@link SpectralLayerConfig}), with {@code W = phi .* (lambdaIn^T - lambdaOut)}
 * (any block), the same bias, activation, loss, dropout, weight noise, updater, regularization and
 * weight init. The result is a new network whose configuration holds no class of this library, so it
 * loads and runs without it and at DenseLayer speed; the input network is untouched. Constraints are not
 * carried over (their parameter keys were the spectral ones). Every other layer is copied unchanged.
 */
public final class DirectSpaceExport {

    private static final String LIBRARY_PACKAGE = "io.github.dl4jspectral";

    private DirectSpaceExport() {
    }

    /** The exported copy of a MultiLayerNetwork. */
    public static MultiLayerNetwork toDense(MultiLayerNetwork network) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations().clone();
        for (NeuralNetConfiguration layerConf : conf.getConfs()) {
            replaceIfSpectral(layerConf);
        }
        requireNoLibraryClass(conf.toJson());
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
        for (GraphVertex vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex layerVertex) {
                replaceIfSpectral(layerVertex.getLayerConf());
            }
        }
        requireNoLibraryClass(conf.toJson());
        ComputationGraph exported = new ComputationGraph(conf);
        exported.init();
        for (Layer layer : graph.getLayers()) {
            copyParams(layer, exported.getLayer(layer.conf().getLayer().getLayerName()));
        }
        return exported;
    }

    /** The DL4J layer a spectral configuration becomes; any other layer is returned as it is. */
    public static org.deeplearning4j.nn.conf.layers.Layer denseEquivalent(org.deeplearning4j.nn.conf.layers.Layer layer) {
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
        return plain;
    }

    private static void replaceIfSpectral(NeuralNetConfiguration layerConf) {
        if (layerConf.getLayer() instanceof SpectralLayerConfig) {
            layerConf.setLayer(denseEquivalent(layerConf.getLayer()));
            layerConf.clearVariables();
        }
    }

    private static void copyParams(Layer from, Layer to) {
        if (from.conf().getLayer() instanceof SpectralLayerConfig spectral) {
            Map<String, INDArray> params = from.paramTable();
            to.setParam(DefaultParamInitializer.WEIGHT_KEY, EffectiveWeights.of(spectral, params));
            if (spectral.hasBias()) {
                to.setParam(DefaultParamInitializer.BIAS_KEY, params.get(SpectralParam.BIAS.key()));
            }
        } else {
            from.paramTable().forEach(to::setParam);
        }
    }

    private static void requireNoLibraryClass(String json) {
        int at = json.indexOf(LIBRARY_PACKAGE);
        if (at >= 0) {
            int end = json.indexOf('"', at);
            throw new IllegalArgumentException("DirectSpaceExport: the network has a layer that wraps a spectral layer ("
                    + json.substring(at, end < 0 ? json.length() : end) + "); expected spectral layers at the top level "
                    + "of each layer configuration (unwrap FrozenLayer and similar wrappers before exporting)");
        }
    }
}
