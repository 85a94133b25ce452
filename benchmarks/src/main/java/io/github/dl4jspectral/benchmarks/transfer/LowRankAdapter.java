package io.github.dl4jspectral.benchmarks.transfer;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A LoRA-style adapter of a trained dense network, built from DL4J's own layers: every hidden map
 * {@code y = act(x W + b)} of the source becomes {@code y = act(x W + (x U) V^T + b)} with W frozen and U [nIn, r],
 * V^T [r, nOut] and b trained, i.e. exactly the weights {@code W + U V^T}:
 * <pre>
 *   in -+-> frozenK  (FrozenLayerWithBackprop(DenseLayer W, no bias, identity)) --+--> sumK (add) --> actK
 *       +-> downK    (DenseLayer U, no bias, identity) --> upK (DenseLayer V^T + b) --+
 * </pre>
 * followed by a new softmax head. The frozen branch passes the gradient on (FrozenLayerWithBackprop, not
 * FrozenLayer, which would cut the gradient of the layers below). U starts random (Xavier), V^T at zero, so the
 * adapter starts at exactly the source network. The library's LOW_RANK block is not used: it makes
 * {@code phi = U V^T} and {@code W = phi .* (lambdaIn^T - lambdaOut)}, a product, not the sum {@code W + U V^T}.
 * Trainable numbers per map: {@code r (nIn + nOut) + nOut}; with r = 1 exactly the {@code nIn + 2 nOut} of the
 * spectral preset EIGENVALUES.
 */
final class LowRankAdapter {

    private LowRankAdapter() {
    }

    /**
     * The adapter graph of {@code source}'s hidden DenseLayers (all layers but the last), its W and b copied, with a
     * new head of {@code classes} outputs whose parameters are {@code headW} and {@code headB}.
     */
    static ComputationGraph of(MultiLayerNetwork source, int rank, int classes, double learningRate, long seed,
                               INDArray headW, INDArray headB) {
        int hiddenLayers = source.getnLayers() - 1;
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).updater(new Adam(learningRate)).weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs("in");
        String previous = "in";
        for (int k = 0; k < hiddenLayers; k++) {
            DenseLayer plain = (DenseLayer) source.getLayer(k).conf().getLayer();
            long nIn = plain.getNIn();
            long nOut = plain.getNOut();
            g.addLayer("frozen" + k, new FrozenLayerWithBackprop(new DenseLayer.Builder().nIn(nIn).nOut(nOut)
                    .hasBias(false).activation(org.nd4j.linalg.activations.Activation.IDENTITY).build()), previous);
            g.addLayer("down" + k, new DenseLayer.Builder().nIn(nIn).nOut(rank).hasBias(false)
                    .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build(), previous);
            g.addLayer("up" + k, new DenseLayer.Builder().nIn(rank).nOut(nOut).hasBias(true)
                    .weightInit(WeightInit.ZERO).activation(org.nd4j.linalg.activations.Activation.IDENTITY).build(),
                    "down" + k);
            g.addVertex("sum" + k, new ElementWiseVertex(ElementWiseVertex.Op.Add), "frozen" + k, "up" + k);
            g.addLayer("act" + k, new ActivationLayer.Builder().activation(plain.getActivationFn()).build(), "sum" + k);
            previous = "act" + k;
        }
        g.addLayer("head", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(headW.rows()).nOut(classes)
                .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build(), previous);
        ComputationGraph graph = new ComputationGraph(g.setOutputs("head").build());
        graph.init();
        for (int k = 0; k < hiddenLayers; k++) {
            graph.getLayer("frozen" + k).setParam("W", source.getLayer(k).getParam("W"));
            graph.getLayer("up" + k).setParam("b", source.getLayer(k).getParam("b"));
        }
        graph.getLayer("head").setParam("W", headW);
        graph.getLayer("head").setParam("b", headB);
        return graph;
    }
}
