package io.github.dl4jspectral.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The vectors of ones that turn the row and column sums of the eigenvalue gradients into gemms
 * ({@code rowSums(M) = ones [1, nOut] x M^T}, {@code -columnSums(M) = (-ones [nIn, 1])^T x M}), held by a layer's
 * {@link SpectralMap} from call to call outside any workspace and allocated again only when the layer's size or data
 * type changes. Their contents never change. Not thread-safe, like the layer.
 */
final class SumVectors {

    private DataType dataType;
    private long nIn = -1;
    private long nOut = -1;
    private INDArray minusOnesColumn;
    private INDArray onesRow;

    /** Makes the vectors [nIn, 1] and [1, nOut] of {@code type}; returns this. */
    SumVectors forSize(DataType type, long in, long out) {
        allocate(type, in, out);
        return this;
    }

    /** The [nIn, 1] column of -1 (after {@link #forSize}). */
    INDArray minusOnesColumn() {
        return minusOnesColumn;
    }

    /** The [1, nOut] row of 1 (after {@link #forSize}). */
    INDArray onesRow() {
        return onesRow;
    }

    private void allocate(DataType type, long in, long out) {
        if (type == dataType && in == nIn && out == nOut) {
            return;
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            minusOnesColumn = Nd4j.valueArrayOf(new long[]{in, 1}, -1.0, type);
            onesRow = Nd4j.valueArrayOf(new long[]{1, out}, 1.0, type);
        }
        dataType = type;
        nIn = in;
        nOut = out;
    }
}
