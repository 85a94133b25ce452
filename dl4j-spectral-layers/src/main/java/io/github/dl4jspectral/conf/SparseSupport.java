package io.github.dl4jspectral.conf;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The fixed random support of a sparse nIn x nOut map: entry (j, i) is kept when the
 * {@code (j * nOut + i)}-th draw of {@code new SplittableRandom(seed).nextDouble()} is below the density.
 * Plain Java randomness, so the support depends only on (nIn, nOut, density, seed), never on the ND4J
 * backend or its random state. Shared by the spectral SPARSE block and the direct-space
 * {@link SparseDenseLayer} baseline, so that both see the same support.
 */
public final class SparseSupport {

    private SparseSupport() {
    }

    private static final int CACHED = 16;
    private static final Map<List<Object>, INDArray> CACHE = new LinkedHashMap<>(CACHED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Object>, INDArray> eldest) {
            return size() > CACHED;
        }
    };

    /** The support as a new 0/1 matrix [nIn, nOut] of {@code type}, outside any ND4J workspace. */
    public static INDArray mask(long nIn, long nOut, double density, long seed, DataType type) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[Math.toIntExact(nIn * nOut)];
        for (int k = 0; k < values.length; k++) {
            values[k] = random.nextDouble() < density ? 1.0 : 0.0;
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            return Nd4j.create(values, new long[]{nIn, nOut}, DataType.DOUBLE).castTo(type);
        }
    }

    /**
     * The same matrix in 'f' order (the order of DL4J's weight arrays, so that multiplying a weight or its
     * gradient by it is a contiguous pass, not a strided one), shared from a small cache of the most recently
     * used supports (read only: callers must not modify it). Used by the runtime layers in every forward and
     * backward pass.
     */
    public static synchronized INDArray cachedMask(long nIn, long nOut, double density, long seed, DataType type) {
        return CACHE.computeIfAbsent(List.of(nIn, nOut, density, seed, type), k -> {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                return mask(nIn, nOut, density, seed, type).dup('f');
            }
        });
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
}
