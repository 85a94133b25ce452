package io.github.dl4jspectral.blocks;

/**
 * The working memory of one pass of a spectral map through the native runtime ({@code layers.SpectralMap},
 * {@code layers.FactoredMap}), in array elements of the layer's data type, besides the parameters, their gradients,
 * the layer's input and output and dL/dx, as DL4J's {@code LayerMemoryReport} takes it: a part independent of the
 * minibatch and a part per example, for inference (the forward pass) and for training (the backward pass, counted
 * as when it builds again what the forward pass built). The fixed parts include the arrays the layer holds outside
 * workspaces between passes ({@code heldBetweenPasses}): the nIn x nOut arrays it builds W in, the copy of W's sources
 * that lets an inference pass reuse W, a sparse block's support.
 *
 * @param inferenceFixed      elements used by a forward pass, independent of the minibatch
 * @param inferencePerExample elements allocated by a forward pass, per example
 * @param trainingFixed       elements used by a backward pass, independent of the minibatch (every group trained)
 * @param trainingPerExample  elements allocated by a backward pass, per example
 * @param heldBetweenPasses   of the fixed parts, the elements the layer holds outside workspaces between passes
 */
public record WorkingMemory(long inferenceFixed, long inferencePerExample, long trainingFixed, long trainingPerExample,
                            long heldBetweenPasses) {

    /** @deprecated renamed to {@link #heldBetweenPasses()} */
    @Deprecated
    public long kept() {
        return heldBetweenPasses;
    }
}
