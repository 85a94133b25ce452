package io.github.dl4jspectral.samediff;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Hands the product {@code x W} of a training forward pass of a {@link SameDiffSpectralDenseRuntimeLayer} to the
 * backward pass that follows it, with the magnitude threshold the pass used, so that the backward pass need not
 * multiply {@code x W} again. The native layer's rule ({@code layers.PreActivationHandoff}): the copy is taken at
 * most once ({@link #take} consumes it), only for the same input array and the same iteration and epoch count as
 * when it was kept, and the layer drops it whenever its parameters or input are set, on constraints and on
 * {@code clear()}. It cannot see parameters changed in place between the two passes; DL4J's training runs a forward
 * pass before every backward pass.
 *
 * <p>The copy lives outside any workspace (allocated when the batch size or data type changes). Not thread-safe,
 * like the layer.
 */
final class ProductHandoff {

    /**
     * What a forward pass hands over.
     *
     * @param product   x W
     * @param threshold the magnitude threshold the pass used, or NaN if the layer does not sparsify
     */
    record Kept(INDArray product, double threshold) {
    }

    private INDArray buffer;
    private double threshold;
    private boolean held;
    private INDArray input;
    private int iteration;
    private int epoch;

    /** Keeps a copy of {@code product} and the {@code threshold} computed from {@code input} at this iteration and epoch. */
    void keep(INDArray product, double threshold, INDArray input, int iteration, int epoch) {
        if (buffer == null || buffer.dataType() != product.dataType() || !Arrays.equals(buffer.shape(), product.shape())) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                buffer = Nd4j.createUninitialized(product.dataType(), product.shape(), 'c');
            }
        }
        buffer.assign(product);
        this.threshold = threshold;
        this.input = input;
        this.iteration = iteration;
        this.epoch = epoch;
        held = true;
    }

    /**
     * What was kept, if it belongs to this input, iteration and epoch, else {@code null}; either way nothing is held
     * afterwards.
     */
    Kept take(INDArray input, int iteration, int epoch) {
        boolean usable = held && input == this.input && iteration == this.iteration && epoch == this.epoch;
        drop();
        return usable ? new Kept(buffer, threshold) : null;
    }

    /** Forgets the kept product (the buffer stays allocated for reuse). */
    void drop() {
        held = false;
        input = null;
    }
}
