package io.github.dl4jspectral.layers;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Hands the pre-activation z of a training forward pass of a runtime spectral layer to the backward pass that
 * follows it, so that the backward pass need not multiply {@code x W} again (DL4J's {@code backpropGradient}
 * recomputes the pre-activation of every layer; its DenseLayer does too), together with what else the forward pass
 * computed from the same parameters (the {@code payload}): the native {@link SpectralDenseLayer} hands over the
 * weights it built (W, D, the magnitude mask and threshold, in its {@link KeptWeights}), so that the backward pass
 * does not build them again either; the SameDiff layer hands over {@code x W} (before the bias) and its magnitude
 * threshold. Used by the runtime layers, not by users.
 *
 * <p>When the copy is used: it is taken at most once ({@link #take} consumes it), only for the same input array
 * (after dropout) and the same iteration and epoch count as when it was kept; and the layer drops it whenever its
 * parameters, input or mask are set, on constraints, on {@code clear()} and on every forward pass that is not a
 * training pass (an inference pass builds into the native layer's kept arrays, which the payload refers to). So within DL4J's training (forward pass, backward
 * pass, then the update, then the next forward pass) it is always the pre-activation of the current parameters.
 * Like DL4J's own weight-noise parameters, which also pass from the forward to the backward pass, it cannot see
 * parameters changed in place between the two passes (for example through {@code getParam(key).addi(...)} or the
 * network's {@code setParams}, which copies into the existing arrays); a backward pass must then be preceded by
 * a new forward pass, as in DL4J's {@code computeGradientAndScore}.
 *
 * <p>The copy lives outside any workspace (allocated when the batch size or data type changes). Not thread-safe,
 * like the layer.
 */
public final class PreActivationHandoff<T> {

    /**
     * What a forward pass hands over.
     *
     * @param z       the copy of the pre-activation
     * @param payload what else the pass computed from the same parameters
     */
    public record Kept<T>(INDArray z, T payload) {
    }

    private INDArray buffer;
    private T payload;
    private boolean held;
    private INDArray input;
    private int iteration;
    private int epoch;

    /** Keeps a copy of {@code z} and the {@code payload} computed from {@code input} at this iteration and epoch. */
    public void keep(INDArray z, T payload, INDArray input, int iteration, int epoch) {
        if (buffer == null || buffer.dataType() != z.dataType() || !Arrays.equals(buffer.shape(), z.shape())) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                buffer = Nd4j.createUninitialized(z.dataType(), z.shape(), 'c');
            }
        }
        buffer.assign(z);
        this.payload = payload;
        this.input = input;
        this.iteration = iteration;
        this.epoch = epoch;
        held = true;
    }

    /**
     * What was kept, if it belongs to this input, iteration and epoch, else {@code null}; either way nothing is held
     * afterwards. The caller may overwrite the returned arrays.
     */
    public Kept<T> take(INDArray input, int iteration, int epoch) {
        boolean usable = held && input == this.input && iteration == this.iteration && epoch == this.epoch;
        Kept<T> kept = usable ? new Kept<>(buffer, payload) : null;
        drop();
        return kept;
    }

    /** Forgets the kept pre-activation and payload (the buffer stays allocated for reuse). */
    public void drop() {
        held = false;
        input = null;
        payload = null;
    }
}
