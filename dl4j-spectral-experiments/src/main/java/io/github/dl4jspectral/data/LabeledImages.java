package io.github.dl4jspectral.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Grey-scale images with one class label each, as read from IDX files: pixels are unsigned bytes
 * (0 = background, 255 = full intensity), row-major per image. Immutable; {@link #range} shares the
 * arrays with its parent instead of copying them.
 */
public final class LabeledImages {

    private final String origin;
    private final int rows;
    private final int columns;
    private final byte[] pixels;
    private final byte[] labels;
    private final int offset;
    private final int size;

    LabeledImages(String origin, int rows, int columns, byte[] pixels, byte[] labels) {
        this(origin, rows, columns, pixels, labels, 0, labels.length);
    }

    private LabeledImages(String origin, int rows, int columns, byte[] pixels, byte[] labels, int offset, int size) {
        this.origin = origin;
        this.rows = rows;
        this.columns = columns;
        this.pixels = pixels;
        this.labels = labels;
        this.offset = offset;
        this.size = size;
    }

    /** Where the images came from (the images file), for messages and reports. */
    public String origin() {
        return origin;
    }

    /** Number of examples. */
    public int size() {
        return size;
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    /** Pixels per image: rows x columns (784 for Fashion-MNIST). */
    public int pixelsPerImage() {
        return rows * columns;
    }

    /** The class (0-based) of example {@code i}. */
    public int label(int i) {
        return labels[offset + checkIndex(i)];
    }

    /** Pixel {@code p} (row-major) of example {@code i}, 0..255. */
    public int pixel(int i, int p) {
        return pixels[(offset + checkIndex(i)) * pixelsPerImage() + p] & 0xFF;
    }

    /** Examples {@code from} (inclusive) to {@code to} (exclusive), sharing this object's arrays. */
    public LabeledImages range(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") of " + size + " examples in " + origin);
        }
        return new LabeledImages(origin, rows, columns, pixels, labels, offset + from, to - from);
    }

    /**
     * Examples {@code order[0], order[1], ...} as a DataSet: features [n, rows x columns] (pixel / 255
     * if {@code scaled}, else the raw 0..255 values) and one-hot labels [n, classes], both FLOAT.
     */
    public DataSet toDataSet(int[] order, int classes, boolean scaled) {
        int perImage = pixelsPerImage();
        float[] features = new float[order.length * perImage];
        float[] oneHot = new float[order.length * classes];
        float scale = scaled ? 1f / 255f : 1f;
        for (int row = 0; row < order.length; row++) {
            int example = offset + checkIndex(order[row]);
            int source = example * perImage;
            int target = row * perImage;
            for (int p = 0; p < perImage; p++) {
                features[target + p] = (pixels[source + p] & 0xFF) * scale;
            }
            oneHot[row * classes + labels[example]] = 1f;
        }
        INDArray x = Nd4j.create(features, new long[]{order.length, perImage}, DataType.FLOAT);
        INDArray y = Nd4j.create(oneHot, new long[]{order.length, classes}, DataType.FLOAT);
        return new DataSet(x, y);
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("example " + i + " of " + size + " in " + origin);
        }
        return i;
    }
}
