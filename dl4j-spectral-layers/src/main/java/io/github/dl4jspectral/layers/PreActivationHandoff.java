package io.github.dl4jspectral.layers;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Hands the pre-activation z of a training forward pass of a runtime spectral layer to the backward pass that
 * follows it, so that the backward pass need not multiply {@code x W} again, together with what else the forward
 * pass computed from the same parameters (the {@code payload}): the native {@link SpectralMap} hands over the weights
 * it built (W, D, the magnitude mask and threshold, in its {@link WeightCache}); the SameDiff layer hands over
 * {@code x W} (before the bias) and its magnitude threshold. Used by the runtime layers' maps, not by users.
 *
 * <p>When the handover is used: it is taken at most once ({@link #takeHandover} consumes it), only for the same input
 * array (after dropout) and the same iteration and epoch count as when it was handed over; the owning map drops it
 * ({@link #drop}) whenever the layer's parameters, gradient views, input or mask are set, on constraints, on
 * {@code clear()} and on every forward pass that is not a training pass. So within DL4J's training (forward pass,
 * backward pass, then the update, then the next forward pass) it is always the pre-activation of the current
 * parameters. Like DL4J's own weight-noise parameters, which also pass from the forward to the backward pass, it
 * cannot see parameters changed in place between the two passes (for example through {@code getParam(key).addi(...)}
 * or the network's {@code setParams}, which copies into the existing arrays); a backward pass must then be preceded by
 * a new forward pass, as in DL4J's {@code computeGradientAndScore}.
 *
 * <p>The copy of z lives outside any workspace (allocated when the batch size or data type changes). Not thread-safe,
 * like the layer.
 */
public final class PreActivationHandoff<T> {

    /**
     * What a forward pass hands over.
     *
     * @param z       the copy of the pre-activation
     * @param payload what else the pass computed from the same parameters
     */
    public record Handover<T>(INDArray z, T payload) {
    }

    /**
     * What a forward pass hands over.
     *
     * @param z       the copy of the pre-activation
     * @param payload what else the pass computed from the same parameters
     * @deprecated renamed to {@link Handover}
     */
    @Deprecated
    public record Kept<T>(INDArray z, T payload) {
    }

    private INDArray buffer;
    private T payload;
    private boolean held;
    private INDArray input;
    private int iteration;
    private int epoch;

    /**
     * Hands over a copy of {@code z} and the {@code payload} computed from {@code input} at this iteration and epoch,
     * replacing what was handed over before.
     */
    public void handOver(INDArray z, T payload, INDArray input, int iteration, int epoch) {
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
     * What was handed over, if it belongs to this input, iteration and epoch, else {@code null}; either way nothing is
     * held afterwards. The caller may overwrite the returned arrays.
     */
    public Handover<T> takeHandover(INDArray input, int iteration, int epoch) {
        boolean usable = held && input == this.input && iteration == this.iteration && epoch == this.epoch;
        Handover<T> handover = usable ? new Handover<>(buffer, payload) : null;
        drop();
        return handover;
    }

    /** Forgets what was handed over (the buffer stays allocated for reuse). */
    public void drop() {
        held = false;
        input = null;
        payload = null;
    }

    /** @deprecated renamed to {@link #handOver} */
    @Deprecated
    public void keep(INDArray z, T payload, INDArray input, int iteration, int epoch) {
        handOver(z, payload, input, iteration, epoch);
    }

    /** @deprecated renamed to {@link #takeHandover} */
    @Deprecated
    public Kept<T> take(INDArray input, int iteration, int epoch) {
        Handover<T> handover = takeHandover(input, iteration, epoch);
        return handover == null ? null : new Kept<>(handover.z(), handover.payload());
    }
}
