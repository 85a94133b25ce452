package io.github.dl4jspectral.count;

import io.github.dl4jspectral.blocks.PhiBlock;
import io.github.dl4jspectral.conf.SparseDenseLayer;
import io.github.dl4jspectral.blocks.SparseSupport;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.params.SpectralParamInitializer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many parameters of a layer or network are trained and how many are frozen (numbers, not bytes).
 *
 * <p>A spectral layer counts each of its groups (phi or phiU/phiV, lambdaIn, lambdaOut, b) as trainable or
 * frozen according to its preset; of a SPARSE phi (and of a {@link SparseDenseLayer}'s W) only the entries
 * in the support can be trained, the structural zeros outside it count as frozen; a layer wrapped by DL4J's {@code FrozenLayer} or {@code FrozenLayerWithBackprop}
 * (for example by {@code TransferLearning.setFeatureExtractor}) counts as frozen entirely; every other
 * layer counts as trainable entirely.
 *
 * @param trainable numbers updated by training
 * @param frozen    numbers stored in the model but never updated
 */
public record ParameterCounts(long trainable, long frozen) {

    /** An empty count. */
    public static final ParameterCounts NONE = new ParameterCounts(0, 0);

    /** All parameters, trainable plus frozen. */
    public long total() {
        return trainable + frozen;
    }

    /** The sum of two counts. */
    public ParameterCounts plus(ParameterCounts other) {
        return new ParameterCounts(trainable + other.trainable, frozen + other.frozen);
    }

    /** Counts of one layer configuration (nIn and nOut must be set). */
    public static ParameterCounts of(org.deeplearning4j.nn.conf.layers.Layer layer) {
        if (layer instanceof FrozenLayer frozen) {
            return allFrozen(frozen.getLayer());
        }
        if (layer instanceof FrozenLayerWithBackprop frozen) {
            return allFrozen(frozen.getUnderlying());
        }
        if (layer instanceof SpectralLayerConfig spectral) {
            long trainable = 0;
            long frozenCount = 0;
            PhiBlock block = spectral.spec().block();
            for (SpectralParam group : SpectralParamInitializer.groups(spectral)) {
                long size = SpectralParamInitializer.size(spectral, group);
                long trainedPart = !spectral.getSpectral().trains(group) ? 0
                        : group.isEigenvectorBlock() ? block.trainedSize(group, spectral.getNIn(), spectral.getNOut())
                        : size;
                trainable += trainedPart;
                frozenCount += size - trainedPart;
            }
            return new ParameterCounts(trainable, frozenCount);
        }
        if (layer instanceof SparseDenseLayer sparse) {
            long weights = sparse.getNIn() * sparse.getNOut();
            long kept = SparseSupport.count(sparse.getNIn(), sparse.getNOut(), sparse.getDensity(), sparse.getSeed());
            return new ParameterCounts(kept + sparse.getNOut(), weights - kept);
        }
        return new ParameterCounts(layer.initializer().numParams(layer), 0);
    }

    /** Counts of a whole network. */
    public static ParameterCounts of(MultiLayerNetwork network) {
        return perLayer(network).values().stream().reduce(NONE, ParameterCounts::plus);
    }

    /** Counts of a whole computation graph. */
    public static ParameterCounts of(ComputationGraph graph) {
        return perLayer(graph).values().stream().reduce(NONE, ParameterCounts::plus);
    }

    /** Counts per layer in network order, keyed by layer name (DL4J names unnamed layers "layer0", "layer1", ...). */
    public static Map<String, ParameterCounts> perLayer(MultiLayerNetwork network) {
        return perLayer(network.getLayers());
    }

    /** Counts per layer vertex, keyed by vertex name. */
    public static Map<String, ParameterCounts> perLayer(ComputationGraph graph) {
        return perLayer(graph.getLayers());
    }

    private static Map<String, ParameterCounts> perLayer(Layer[] layers) {
        Map<String, ParameterCounts> counts = new LinkedHashMap<>();
        for (Layer layer : layers) {
            // A runtime FrozenLayer reports the wrapped layer's configuration.
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            boolean frozen = layer instanceof org.deeplearning4j.nn.layers.FrozenLayer
                    || layer instanceof org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
            String name = conf.getLayerName() != null ? conf.getLayerName() : String.valueOf(layer.getIndex());
            counts.put(name, frozen ? allFrozen(conf) : of(conf));
        }
        return counts;
    }

    private static ParameterCounts allFrozen(org.deeplearning4j.nn.conf.layers.Layer inner) {
        return new ParameterCounts(0, of(inner).total());
    }

    @Override
    public String toString() {
        return "trainable=" + trainable + ", frozen=" + frozen + ", total=" + total();
    }
}
