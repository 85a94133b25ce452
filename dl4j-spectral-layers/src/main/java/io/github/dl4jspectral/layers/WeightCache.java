package io.github.dl4jspectral.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.impl.reduce3.HammingDistance;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The nIn x nOut arrays in which a native runtime layer's {@link SpectralMap} builds its effective weights (W, the
 * eigenvalue differences D, the magnitude mask, and phi formed from a factored block's factors), held outside any
 * workspace from call to call, and whether what they hold may be used again.
 *
 * <p>Every build into the arrays ({@link #buffers}) and every pass that overwrites them ({@link #overwritten}, the
 * backward pass, which reuses W's and D's memory) starts a new <em>generation</em>. What was built is reused only
 * within its generation:
 * <ul>
 *   <li>by the backward pass that follows a training forward pass ({@link PreActivationHandoff}, which the map drops
 *       on every pass that builds here other than that forward pass);</li>
 *   <li>by the next inference pass ({@link #reusableForInference}), if every array W was built from (phi or the
 *       block's factors, lambdaIn, lambdaOut) is still bit for bit what it was then. The check compares the arrays
 *       with a copy taken at the build, so nothing that changes the parameters (an optimizer step, {@code setParam},
 *       the network's {@code setParams}, which copies into the existing arrays, or a write through
 *       {@code getParam(key)}) can make a stale W be used.</li>
 * </ul>
 * Memory: the arrays (two to four nIn x nOut, see {@link io.github.dl4jspectral.blocks.PhiBlock#workingMemory}) and,
 * once the layer has run an inference pass, the copy of W's sources, all allocated when first needed and again when
 * the layer's size or data type changes. Not thread-safe, like the layer.
 */
final class WeightCache {

    /**
     * The arrays of one build, all [nIn, nOut] 'f'.
     *
     * @param mask the magnitude mask, or {@code null} when the layer does not sparsify
     * @param phi  phi formed from a factored block's factors, or {@code null} for a whole-phi block
     */
    record Buffers(INDArray w, INDArray d, INDArray mask, INDArray phi) {

        /** New arrays outside any workspace, for one build that no cache holds: W, D and (with a mask) the mask. */
        static Buffers detached(DataType type, long nIn, long nOut, boolean withMask) {
            return new Buffers(persistent(type, nIn, nOut), persistent(type, nIn, nOut),
                    withMask ? persistent(type, nIn, nOut) : null, null);
        }
    }

    private DataType dataType;
    private long nIn = -1;
    private long nOut = -1;
    private INDArray w;
    private INDArray d;
    private INDArray mask;
    private INDArray phi;

    private long generation;
    private long inferenceGeneration = -1;
    private SpectralMap.Weights inferenceWeights;
    private INDArray sourceCopy;

    /**
     * The arrays to build into, [nIn, nOut] of {@code type}; starts a new generation (what the arrays held before is
     * no longer reusable).
     */
    Buffers buffers(DataType type, long in, long out, boolean withMask, boolean withPhi) {
        if (type != dataType || in != nIn || out != nOut) {
            w = null;
            d = null;
            mask = null;
            phi = null;
            dataType = type;
            nIn = in;
            nOut = out;
        }
        w = w != null ? w : persistent(type, in, out);
        d = d != null ? d : persistent(type, in, out);
        mask = !withMask ? null : mask != null ? mask : persistent(type, in, out);
        phi = !withPhi ? null : phi != null ? phi : persistent(type, in, out);
        generation++;
        return new Buffers(w, d, mask, phi);
    }

    /** The arrays are about to be overwritten (a backward pass reuses their memory): nothing they held is reusable. */
    void overwritten() {
        generation++;
    }

    /**
     * The weights of the last inference build, if they are still the arrays' contents and every one of
     * {@code sources} is bit for bit what it was at that build (same order, shapes and data type); else
     * {@code null}.
     */
    SpectralMap.Weights reusableForInference(List<INDArray> sources) {
        if (inferenceGeneration != generation || sourceCopy == null || sourceCopy.length() != totalLength(sources)) {
            return null;
        }
        long offset = 0;
        for (INDArray source : sources) {
            if (source.dataType() != dataType || !sameBits(source, copyOf(source, offset))) {
                return null;
            }
            offset += source.length();
        }
        return inferenceWeights;
    }

    /**
     * Marks {@code weights}, just built into the arrays of the current generation, as reusable by later inference
     * passes while {@code sources} keep their contents (a copy of them is taken now).
     */
    void builtForInference(SpectralMap.Weights weights, List<INDArray> sources) {
        long length = totalLength(sources);
        if (sourceCopy == null || sourceCopy.length() != length || sourceCopy.dataType() != dataType) {
            sourceCopy = persistent(dataType, length);
        }
        long offset = 0;
        for (INDArray source : sources) {
            copyOf(source, offset).assign(source);
            offset += source.length();
        }
        inferenceWeights = weights;
        inferenceGeneration = generation;
    }

    /** The part of the copy that belongs to {@code source}, shaped and ordered like it. */
    private INDArray copyOf(INDArray source, long offset) {
        INDArray part = sourceCopy.get(NDArrayIndex.interval(offset, offset + source.length()));
        return part.reshape(source.ordering(), source.shape());
    }

    private static long totalLength(List<INDArray> sources) {
        return sources.stream().mapToLong(INDArray::length).sum();
    }

    /**
     * Whether {@code a} and {@code b} (same shape and data type) hold the same bits: on the CPU backend a compare of
     * their memory when both are contiguous in the same order; else ND4J's exact Hamming distance (the fraction of
     * positions that differ; NaN never equals NaN, so W is then rebuilt, which is harmless).
     */
    private static boolean sameBits(INDArray a, INDArray b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            return false;
        }
        if (Nd4j.getExecutioner().type() == OpExecutioner.ExecutionerType.NATIVE_CPU && contiguous(a) && contiguous(b)
                && a.ordering() == b.ordering()) {
            return sameBytes(host(a), host(b));
        }
        return Nd4j.getExecutioner().exec(new HammingDistance(a, b)).getDouble(0) == 0.0;
    }

    /** Bytes compared per task: below this one thread compares, above it the cores share the compare. */
    private static final int CHUNK = 4 << 20;

    /** Whether two buffers of the same length hold the same bytes; large ones are compared in parallel chunks. */
    private static boolean sameBytes(ByteBuffer a, ByteBuffer b) {
        int length = a.remaining();
        int chunks = Math.min(Runtime.getRuntime().availableProcessors(), Math.max(1, length / CHUNK));
        if (chunks == 1) {
            return a.mismatch(b) == -1;
        }
        long step = (length + chunks - 1L) / chunks;
        return IntStream.range(0, chunks).parallel().allMatch(i -> {
            int from = (int) Math.min(length, i * step);
            int size = (int) Math.min(step, length - from);
            return a.slice(from, size).mismatch(b.slice(from, size)) == -1;
        });
    }

    /** Whether the elements of {@code a} lie one after the other in memory, in its ordering. */
    private static boolean contiguous(INDArray a) {
        return a.elementWiseStride() == 1;
    }

    /** The bytes of a contiguous array in host memory. */
    private static ByteBuffer host(INDArray a) {
        int width = a.dataType().width();
        return a.data().asNio().slice(Math.toIntExact(a.offset() * width), Math.toIntExact(a.length() * width));
    }

    /** A new array outside any workspace: [length], or [rows, columns] in 'f' order. */
    private static INDArray persistent(DataType type, long... shape) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            return Nd4j.createUninitialized(type, shape, 'f');
        }
    }
}
