package io.github.dl4jspectral.count;

import io.github.dl4jspectral.conf.SpectralLayerConfig;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.Locale;
import java.util.Map;

/**
 * A printable table of trainable and frozen parameters per layer. DL4J's own {@code summary()} counts
 * only whole frozen layers as frozen; this table also counts the frozen groups of spectral layers.
 *
 * <pre>
 * layer     type                  spectral               trainable      frozen
 * layer0    SpectralDenseLayer    preset EIGENVALUES         1,784     392,000
 * layer1    OutputLayer           -                          5,010           0
 * total                                                      6,794     392,000
 * </pre>
 */
public final class SpectralSummary {

    private static final String ROW = "%-12s %-24s %-28s %12s %12s%n";

    private SpectralSummary() {
    }

    /** The table for a MultiLayerNetwork. */
    public static String of(MultiLayerNetwork network) {
        return table(network.getLayers(), ParameterCounts.perLayer(network));
    }

    /** The table for a ComputationGraph (layer vertices only). */
    public static String of(ComputationGraph graph) {
        return table(graph.getLayers(), ParameterCounts.perLayer(graph));
    }

    private static String table(Layer[] layers, Map<String, ParameterCounts> counts) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, ROW, "layer", "type", "spectral", "trainable", "frozen"));
        var names = counts.keySet().iterator();
        for (Layer layer : layers) {
            String name = names.next();
            ParameterCounts c = counts.get(name);
            var conf = layer.conf().getLayer();
            String spectral = conf instanceof SpectralLayerConfig s ? s.getSpectral().describe() : "-";
            boolean frozenLayer = layer instanceof org.deeplearning4j.nn.layers.FrozenLayer
                    || layer instanceof org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
            String type = (frozenLayer ? "Frozen " : "") + conf.getClass().getSimpleName();
            table.append(String.format(Locale.ROOT, ROW, name, type, spectral, String.format(Locale.ROOT, "%,d", c.trainable()),
                    String.format(Locale.ROOT, "%,d", c.frozen())));
        }
        ParameterCounts total = counts.values().stream().reduce(ParameterCounts.NONE, ParameterCounts::plus);
        table.append(String.format(Locale.ROOT, ROW, "total", "", "", String.format(Locale.ROOT, "%,d", total.trainable()),
                String.format(Locale.ROOT, "%,d", total.frozen())));
        return table.toString();
    }
}
