package io.github.dl4jspectral.pruning;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A network seen as a chain of layers, each with its configuration and parameters, that can be rebuilt
 * with changed configurations and parameters. Pruning and the pre-processing strategy work on this view,
 * so that MultiLayerNetwork and ComputationGraph share them.
 *
 * @param <N> the network type
 */
abstract class LayerChain<N> {

    /** One layer: its name, configuration and parameters by key. */
    record Link(String name, Layer conf, Map<String, INDArray> params) {
    }

    abstract List<Link> links();

    /** A new, initialized network of the same kind: layer i gets {@code confs.get(i)} and {@code params.get(i)}. */
    abstract N rebuild(List<Layer> confs, List<Map<String, INDArray>> params);

    abstract N network();

    static LayerChain<MultiLayerNetwork> of(MultiLayerNetwork network) {
        return new LayerChain<>() {
            @Override
            List<Link> links() {
                List<Link> links = new ArrayList<>();
                for (int i = 0; i < network.getnLayers(); i++) {
                    Layer conf = network.getLayerWiseConfigurations().getConf(i).getLayer();
                    links.add(new Link(conf.getLayerName() != null ? conf.getLayerName() : String.valueOf(i), conf,
                            network.getLayer(i).paramTable()));
                }
                return links;
            }

            @Override
            MultiLayerNetwork rebuild(List<Layer> confs, List<Map<String, INDArray>> params) {
                MultiLayerConfiguration conf = network.getLayerWiseConfigurations().clone();
                for (int i = 0; i < confs.size(); i++) {
                    conf.getConf(i).setLayer(confs.get(i));
                    conf.getConf(i).clearVariables();
                }
                MultiLayerNetwork rebuilt = new MultiLayerNetwork(conf);
                rebuilt.init();
                for (int i = 0; i < params.size(); i++) {
                    params.get(i).forEach(rebuilt.getLayer(i)::setParam);
                }
                return rebuilt;
            }

            @Override
            MultiLayerNetwork network() {
                return network;
            }
        };
    }

    /**
     * A ComputationGraph whose layer vertices form a chain: each layer vertex has exactly one input, the
     * previous layer vertex (the first one: a network input). Anything else is rejected.
     */
    static LayerChain<ComputationGraph> of(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        List<String> order = new ArrayList<>();
        for (String name : conf.getTopologicalOrderStr()) {
            GraphVertex vertex = conf.getVertices().get(name);
            if (vertex == null) {
                continue; // a network input
            }
            List<String> inputs = conf.getVertexInputs().get(name);
            String expected = order.isEmpty() ? null : order.get(order.size() - 1);
            boolean chained = vertex instanceof LayerVertex && inputs.size() == 1
                    && (expected == null ? conf.getNetworkInputs().contains(inputs.get(0)) : expected.equals(inputs.get(0)));
            if (!chained) {
                throw new IllegalArgumentException("ComputationGraph vertex \"" + name + "\" (" + vertex.getClass().getSimpleName()
                        + ", inputs " + inputs + ") breaks the chain; expected layer vertices each fed by the previous one"
                        + (expected == null ? " (the first by a network input)" : " (\"" + expected + "\")"));
            }
            order.add(name);
        }
        return new LayerChain<>() {
            @Override
            List<Link> links() {
                List<Link> links = new ArrayList<>();
                for (String name : order) {
                    links.add(new Link(name, graph.getLayer(name).conf().getLayer(), graph.getLayer(name).paramTable()));
                }
                return links;
            }

            @Override
            ComputationGraph rebuild(List<Layer> confs, List<Map<String, INDArray>> params) {
                ComputationGraphConfiguration copy = conf.clone();
                for (int i = 0; i < order.size(); i++) {
                    LayerVertex vertex = (LayerVertex) copy.getVertices().get(order.get(i));
                    vertex.getLayerConf().setLayer(confs.get(i));
                    vertex.getLayerConf().clearVariables();
                }
                ComputationGraph rebuilt = new ComputationGraph(copy);
                rebuilt.init();
                for (int i = 0; i < order.size(); i++) {
                    params.get(i).forEach(rebuilt.getLayer(order.get(i))::setParam);
                }
                return rebuilt;
            }

            @Override
            ComputationGraph network() {
                return graph;
            }
        };
    }
}
