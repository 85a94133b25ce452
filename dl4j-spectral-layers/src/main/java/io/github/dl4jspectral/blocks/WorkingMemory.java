package io.github.dl4jspectral.blocks;

/**
 * The working memory of one pass of a spectral map through the native runtime ({@code layers.SpectralMap},
 * {@code layers.LowRankMap}), in array elements of the layer's data type, besides the parameters, their gradients,
 * the layer's input and output and dL/dx, as DL4J's {@code LayerMemoryReport} takes it: a part independent of the
 * minibatch and a part per example, for inference (the forward pass) and for training (the backward pass, which
 * builds again what the forward pass built).
 *
 * @param inferenceFixed      elements allocated by a forward pass, independent of the minibatch
 * @param inferencePerExample elements allocated by a forward pass, per example
 * @param trainingFixed       elements allocated by a backward pass, independent of the minibatch (every group trained)
 * @param trainingPerExample  elements allocated by a backward pass, per example
 */
public record WorkingMemory(long inferenceFixed, long inferencePerExample, long trainingFixed, long trainingPerExample) {
}
