package io.github.dl4jspectral.conf;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fixed random support of a sparse map: see {@link io.github.dl4jspectral.blocks.SparseSupport}, to which every
 * method delegates.
 *
 * @deprecated use {@link io.github.dl4jspectral.blocks.SparseSupport}
 */
@Deprecated
public final class SparseSupport {

    private SparseSupport() {
    }

    /** See {@link io.github.dl4jspectral.blocks.SparseSupport#mask}. */
    public static INDArray mask(long nIn, long nOut, double density, long seed, DataType type) {
        return io.github.dl4jspectral.blocks.SparseSupport.mask(nIn, nOut, density, seed, type);
    }

    /** See {@link io.github.dl4jspectral.blocks.SparseSupport#sharedMask}. */
    public static INDArray sharedMask(long nIn, long nOut, double density, long seed, DataType type) {
        return io.github.dl4jspectral.blocks.SparseSupport.sharedMask(nIn, nOut, density, seed, type);
    }

    /** See {@link io.github.dl4jspectral.blocks.SparseSupport#isShared}. */
    static boolean isShared(long nIn, long nOut, double density, long seed, DataType type) {
        return io.github.dl4jspectral.blocks.SparseSupport.isShared(nIn, nOut, density, seed, type);
    }

    /** See {@link io.github.dl4jspectral.blocks.SparseSupport#count}. */
    public static long count(long nIn, long nOut, double density, long seed) {
        return io.github.dl4jspectral.blocks.SparseSupport.count(nIn, nOut, density, seed);
    }
}
