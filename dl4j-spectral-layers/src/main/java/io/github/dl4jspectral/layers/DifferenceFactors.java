package io.github.dl4jspectral.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The two thin factors of the eigenvalue differences of one layer,
 * {@code D = lambdaIn^T - lambdaOut = [lambdaIn^T, -1] [1; lambdaOut] = left right}, kept by the runtime layer
 * from call to call: {@code left} [nIn, 2] 'f' and {@code right} [2, nOut] 'c' live outside any workspace and are
 * allocated once; {@link #factors} rewrites their eigenvalue halves before every use, so nothing stale is ever
 * read (this is scratch memory, not a cache). Their constant halves double as the vectors of ones that turn the
 * row and column sums of the eigenvalue gradients into gemms. Keeping them saves a dozen small ND4J array
 * creations per pass, which on a small layer cost more than the arithmetic. Not thread-safe, like the layer.
 */
final class DifferenceFactors {

    private DataType dataType;
    private long nIn = -1;
    private long nOut = -1;
    private INDArray left;
    private INDArray right;
    private INDArray lambdaInColumn;
    private INDArray lambdaOutRow;
    private INDArray minusOnesColumn;
    private INDArray onesRow;

    /**
     * Writes the current eigenvalues into the factors and returns them: {@code {left, right}} with
     * {@code left right = lambdaIn^T - lambdaOut}.
     *
     * @param lambdaIn  [1, nIn]
     * @param lambdaOut [1, nOut]
     */
    INDArray[] factors(INDArray lambdaIn, INDArray lambdaOut) {
        allocate(lambdaIn.dataType(), lambdaIn.length(), lambdaOut.length());
        lambdaInColumn.assign(lambdaIn.reshape(nIn));
        lambdaOutRow.assign(lambdaOut.reshape(nOut));
        return new INDArray[]{left, right};
    }

    /** A [nIn, 1] column of -1 (valid after {@link #factors}). */
    INDArray minusOnesColumn() {
        return minusOnesColumn;
    }

    /** A [1, nOut] row of 1 (valid after {@link #factors}). */
    INDArray onesRow() {
        return onesRow;
    }

    private void allocate(DataType type, long in, long out) {
        if (type == dataType && in == nIn && out == nOut) {
            return;
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            left = Nd4j.create(type, new long[]{in, 2}, 'f');
            right = Nd4j.create(type, new long[]{2, out}, 'c');
            lambdaInColumn = left.getColumn(0);
            minusOnesColumn = left.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2));
            minusOnesColumn.assign(-1.0);
            onesRow = right.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all());
            onesRow.assign(1.0);
            lambdaOutRow = right.getRow(1);
        }
        dataType = type;
        nIn = in;
        nOut = out;
    }
}
