package io.github.dl4jspectral.pruning;

/** Scores the nodes of one hidden layer; the lowest-scored nodes are pruned. Supply your own or use {@link NodeScore}. */
@FunctionalInterface
public interface NodeScorer {

    /** One score per node, {@code hidden.nodes()} values; higher means more important. */
    double[] score(HiddenLayer hidden);
}
