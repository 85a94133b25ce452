package io.github.dl4jspectral.pruning;

/**
 * A pruned network (new, smaller, with a fresh updater) and the report of what was done.
 *
 * @param <N> MultiLayerNetwork or ComputationGraph
 */
public record PruningResult<N>(N network, PruningReport report) {
}
