package io.github.dl4jspectral.layers;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Hands the pre-activation z of a training forward pass of a {@link SpectralDenseLayer} to the backward pass that
 * follows it, so that the backward pass need not multiply {@code x W} again (DL4J's {@code backpropGradient}
 * recomputes the pre-activation of every layer; its DenseLayer does too), together with the weights the forward
 * pass built (W, D, the magnitude mask and threshold, in the layer's {@link KeptWeights}), so that the backward
 * pass does not build them again either.
 *
 * <p>When the copy is used: it is taken at most once ({@link #take} consumes it), only for the same input array
 * (after dropout), the same iteration and epoch count as when it was kept, and while the layer's kept arrays are
 * still in the generation the forward pass built (no other pass has built into them since); and the layer drops it
 * whenever its parameters, input or mask are set, and on {@code clear()}. So within DL4J's training (forward pass, backward
 * pass, then the update, then the next forward pass) it is always the pre-activation of the current parameters.
 * Like DL4J's own weight-noise parameters, which also pass from the forward to the backward pass, it cannot see
 * parameters changed in place between the two passes (for example through {@code getParam(key).addi(...)} or the
 * network's {@code setParams}, which copies into the existing arrays); a backward pass must then be preceded by
 * a new forward pass, as in DL4J's {@code computeGradientAndScore}.
 *
 * <p>The copy lives outside any workspace (allocated when the batch size or data type changes). Not thread-safe,
 * like the layer.
 */
final class PreActivationHandoff {

    /**
     * What a forward pass hands over.
     *
     * @param z       the pre-activation (after bias and mask)
     * @param weights the weights the pass built
     */
    record Kept(INDArray z, SpectralMap.Weights weights) {
    }

    private INDArray buffer;
    private SpectralMap.Weights weights;
    private long generation;
    private boolean held;
    private INDArray input;
    private int iteration;
    private int epoch;

    /**
     * Keeps a copy of {@code z} (after bias and mask) and the {@code weights} computed from {@code input} at this
     * iteration and epoch, which the layer's kept arrays hold in their {@code generation}.
     */
    void keep(INDArray z, SpectralMap.Weights weights, long generation, INDArray input, int iteration, int epoch) {
        if (buffer == null || buffer.dataType() != z.dataType() || !Arrays.equals(buffer.shape(), z.shape())) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                buffer = Nd4j.createUninitialized(z.dataType(), z.shape(), 'c');
            }
        }
        buffer.assign(z);
        this.weights = weights;
        this.generation = generation;
        this.input = input;
        this.iteration = iteration;
        this.epoch = epoch;
        held = true;
    }

    /**
     * What was kept, if it belongs to this input, iteration and epoch and the kept arrays are still in the same
     * {@code generation}, else {@code null}; either way nothing is held afterwards. The caller may overwrite the
     * returned arrays.
     */
    Kept take(INDArray input, int iteration, int epoch, long generation) {
        boolean usable = held && input == this.input && iteration == this.iteration && epoch == this.epoch
                && generation == this.generation;
        Kept kept = usable ? new Kept(buffer, weights) : null;
        drop();
        return kept;
    }

    /** Forgets the kept pre-activation and weights (the buffer stays allocated for reuse). */
    void drop() {
        held = false;
        input = null;
        weights = null;
    }
}
