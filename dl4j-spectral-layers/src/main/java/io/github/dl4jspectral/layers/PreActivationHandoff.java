package io.github.dl4jspectral.layers;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Hands the pre-activation z of a training forward pass of a {@link SpectralDenseLayer} to the backward pass that
 * follows it, so that the backward pass need not multiply {@code x W} again (DL4J's {@code backpropGradient}
 * recomputes the pre-activation of every layer; its DenseLayer does too), together with the magnitude threshold
 * of a sparsified layer, which depends on the same parameters (so the selection is not repeated either).
 *
 * <p>When the copy is used: it is taken at most once ({@link #take} consumes it), only for the same input array
 * (after dropout) and the same iteration and epoch count as when it was kept, and the layer drops it whenever its
 * parameters, input or mask are set, and on {@code clear()}. So within DL4J's training (forward pass, backward
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
     * @param z         the pre-activation (after bias and mask)
     * @param threshold the magnitude threshold the pass used, or NaN if the layer does not sparsify
     */
    record Kept(INDArray z, double threshold) {
    }

    private INDArray buffer;
    private double threshold;
    private boolean held;
    private INDArray input;
    private int iteration;
    private int epoch;

    /**
     * Keeps a copy of {@code z} (after bias and mask) and the magnitude {@code threshold} (NaN for none) computed from
     * {@code input} at this iteration and epoch.
     */
    void keep(INDArray z, double threshold, INDArray input, int iteration, int epoch) {
        if (buffer == null || buffer.dataType() != z.dataType() || !Arrays.equals(buffer.shape(), z.shape())) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                buffer = Nd4j.createUninitialized(z.dataType(), z.shape(), 'c');
            }
        }
        buffer.assign(z);
        this.threshold = threshold;
        this.input = input;
        this.iteration = iteration;
        this.epoch = epoch;
        held = true;
    }

    /**
     * What was kept, if it belongs to this input, iteration and epoch, else {@code null}; either way nothing is held
     * afterwards. The caller may overwrite the returned array.
     */
    Kept take(INDArray input, int iteration, int epoch) {
        boolean usable = held && input == this.input && iteration == this.iteration && epoch == this.epoch;
        drop();
        return usable ? new Kept(buffer, threshold) : null;
    }

    /** Forgets the kept pre-activation (the buffer stays allocated for reuse). */
    void drop() {
        held = false;
        input = null;
    }
}
