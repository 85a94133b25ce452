package io.github.dl4jspectral.blocks;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The fixed random support of a sparse nIn x nOut map: entry (j, i) is kept when the
 * {@code (j * nOut + i)}-th draw of {@code new SplittableRandom(seed).nextDouble()} is below the density.
 * Plain Java randomness, so the support depends only on (nIn, nOut, density, seed), never on the ND4J
 * backend or its random state. Shared by {@link SparseBlock} and the direct-space
 * {@code conf.SparseDenseLayer} baseline, so that both see the same support.
 *
 * <p>Memory: the support is drawn straight into the one 0/1 array a layer keeps (no Java-heap copy of the matrix),
 * and {@link #sharedMask} shares that array between the layers that hold it: a shared mask lives exactly as long
 * as some layer configuration keeps it, never longer.
 */
public final class SparseSupport {

    private static final Map<List<Object>, WeakReference<INDArray>> SHARED = new HashMap<>();

    private SparseSupport() {
    }

    /**
     * The support as a new 0/1 matrix [nIn, nOut] of {@code type} in 'f' order (the order of DL4J's weight arrays,
     * so that multiplying a weight or its gradient by it is a contiguous pass), outside any ND4J workspace. Needs no
     * memory besides the matrix itself.
     */
    public static INDArray mask(long nIn, long nOut, double density, long seed, DataType type) {
        INDArray mask;
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            mask = Nd4j.create(type, new long[]{nIn, nOut}, 'f');
        }
        DataBuffer buffer = mask.data();
        SplittableRandom random = new SplittableRandom(seed);
        for (long j = 0; j < nIn; j++) {
            for (long i = 0; i < nOut; i++) {
                if (random.nextDouble() < density) {
                    buffer.put(i * nIn + j, 1.0);
                }
            }
        }
        return mask;
    }

    /**
     * The same matrix, shared between the holders of the same support (read only: callers must not modify it).
     * The caller keeps the returned array for as long as it needs it: the sharing holds it only weakly, so it is
     * freed with its last holder.
     */
    public static synchronized INDArray sharedMask(long nIn, long nOut, double density, long seed, DataType type) {
        SHARED.values().removeIf(held -> held.get() == null);
        List<Object> key = List.of(nIn, nOut, density, seed, type);
        WeakReference<INDArray> held = SHARED.get(key);
        INDArray mask = held == null ? null : held.get();
        if (mask == null) {
            mask = mask(nIn, nOut, density, seed, type);
            SHARED.put(key, new WeakReference<>(mask));
        }
        return mask;
    }

    /** Whether the shared mask of this support is still held by some layer (for tests of its lifetime). */
    public static synchronized boolean isShared(long nIn, long nOut, double density, long seed, DataType type) {
        WeakReference<INDArray> held = SHARED.get(List.of(nIn, nOut, density, seed, type));
        return held != null && held.get() != null;
    }

    /** The number of kept entries, without building the matrix. */
    public static long count(long nIn, long nOut, double density, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long kept = 0;
        for (long k = 0; k < nIn * nOut; k++) {
            if (random.nextDouble() < density) {
                kept++;
            }
        }
        return kept;
    }

    /**
     * Holds one layer's support: fetched once from {@link #sharedMask}, then kept (strongly) for as long as the
     * holder lives, and fetched again only if the shape or data type asked for changes (pruning, a cast network).
     * Thread-safe.
     */
    public static final class Holder implements java.io.Serializable {
        private transient volatile INDArray mask;

        /** The support for (nIn, nOut, density, seed) in {@code type}. */
        public INDArray get(long nIn, long nOut, double density, long seed, DataType type) {
            INDArray m = mask;
            if (m == null || m.rows() != nIn || m.columns() != nOut || m.dataType() != type) {
                m = sharedMask(nIn, nOut, density, seed, type);
                mask = m;
            }
            return m;
        }
    }
}
