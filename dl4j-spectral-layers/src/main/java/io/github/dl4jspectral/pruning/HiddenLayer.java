package io.github.dl4jspectral.pruning;

import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * One set of hidden nodes: the outputs of the producing layer, which the consuming layer reads
 * (possibly through activation, dropout or batch-normalization layers). What a {@link NodeScorer} sees.
 *
 * @param name            the producing layer's name
 * @param nodes           the number of hidden nodes (the producer's nOut)
 * @param producer        the producing layer's configuration
 * @param producerParams  its parameters by key (read only)
 * @param consumer        the consuming layer's configuration
 * @param consumerParams  its parameters by key (read only)
 */
public record HiddenLayer(String name, int nodes, Layer producer, Map<String, INDArray> producerParams,
                          Layer consumer, Map<String, INDArray> consumerParams) {
}
