package io.github.dl4jspectral.blocks;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * Copies of selected rows or columns of a layer's parameter arrays, for pruning. Column by column and row by
 * row on purpose: ND4J M2.1's index views of 'f'-ordered views fail.
 */
public final class ParamSlices {

    private ParamSlices() {
    }

    /** Replaces {@code params[key]} (if present) by a copy of its columns {@code keep} (entries, for a vector). */
    public static void keepColumns(Map<String, INDArray> params, String key, int[] keep) {
        INDArray original = params.get(key);
        if (original != null) {
            INDArray p = original.rank() == 1 ? original.reshape(1, original.length()) : original;
            INDArray kept = Nd4j.create(p.dataType(), p.size(0), keep.length);
            for (int i = 0; i < keep.length; i++) {
                kept.getColumn(i).assign(p.getColumn(keep[i]));
            }
            params.put(key, original.rank() == 1 ? kept.reshape(keep.length) : kept);
        }
    }

    /** Replaces {@code params[key]} (if present) by a copy of its rows {@code keep}. */
    public static void keepRows(Map<String, INDArray> params, String key, int[] keep) {
        INDArray p = params.get(key);
        if (p != null) {
            INDArray kept = Nd4j.create(p.dataType(), keep.length, p.size(1));
            for (int i = 0; i < keep.length; i++) {
                kept.getRow(i).assign(p.getRow(keep[i]));
            }
            params.put(key, kept);
        }
    }
}
