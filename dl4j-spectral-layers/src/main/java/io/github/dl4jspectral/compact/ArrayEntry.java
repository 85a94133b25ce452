package io.github.dl4jspectral.compact;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.options.ArrayOptionsHelper;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One vector stored as {@code Nd4j.write} writes it: the shape information buffer (allocation mode, length, type
 * {@code LONG}, then rank, shape, stride, extras, element-wise stride, order) and the data buffer (allocation mode,
 * length, data type, the values big-endian). Before ND4J reads an entry, every field of both headers is checked
 * against what the reader expects: a vector (every dimension but one of size 1) of exactly the expected number of
 * values, the strides of a contiguous array in its order, element-wise stride 1, the expected data type in the extras
 * and the data buffer, and exactly as many value bytes as the header declares, with nothing after them.
 */
final class ArrayEntry {

    /** The most bytes the two headers of a vector take (allocation modes, types and shape information of rank 32). */
    static final long HEADER_BYTES = 1024;
    private static final int MAX_RANK = 32;

    private ArrayEntry() {
    }

    /** The bytes of {@code array} as {@code Nd4j.write} writes them. */
    static byte[] bytes(INDArray array) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Nd4j.write(array, out);
        }
        return bytes.toByteArray();
    }

    /** The most bytes an entry holding {@code length} values of {@code type} can take. */
    static long cap(long length, DataType type) {
        return length > (CompactZip.MAX_ENTRY_BYTES - HEADER_BYTES) / type.width() ? CompactZip.MAX_ENTRY_BYTES
                : length * type.width() + HEADER_BYTES;
    }

    /**
     * The vector entry {@code name} holds, after checking its headers declare {@code length} values of {@code type}.
     *
     * @throws CompactModelException naming the file, the entry, the field, its value and the expected one
     */
    static INDArray read(Path file, String name, byte[] bytes, DataType type, long length) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            boolean longLength = longLength(file, name, in.readUTF());
            long infoLength = longLength ? in.readLong() : in.readInt();
            expect(file, name, "shape information type", in.readUTF(), DataType.LONG.name());
            long rank = in.readLong();
            if (rank < 1 || rank > MAX_RANK) {
                throw CompactModelException.in(file, name, "rank = " + rank + "; expected 1 to " + MAX_RANK);
            }
            expect(file, name, "shape information length", infoLength, 2 * rank + 4);
            long[] shape = new long[(int) rank];
            long[] stride = new long[(int) rank];
            for (int i = 0; i < rank; i++) {
                shape[i] = in.readLong();
            }
            for (int i = 0; i < rank; i++) {
                stride[i] = in.readLong();
            }
            long extras = in.readLong();
            long elementWiseStride = in.readLong();
            long order = in.readLong();
            checkShape(file, name, shape, length);
            if (order != 'c' && order != 'f') {
                throw CompactModelException.in(file, name, "order = " + order + "; expected 'c' (99) or 'f' (102)");
            }
            expect(file, name, "stride", Arrays.toString(stride), Arrays.toString(contiguous(shape, (char) order)));
            expect(file, name, "element-wise stride", elementWiseStride, 1);
            expect(file, name, "extras", extras, ArrayOptionsHelper.setOptionBit(0L, type));

            longLength = longLength(file, name, in.readUTF());
            long dataLength = longLength ? in.readLong() : in.readInt();
            expect(file, name, "data length", dataLength, length);
            expect(file, name, "data type", in.readUTF(), type.name());
            expect(file, name, "bytes after the header", in.available(), length * type.width());
        } catch (IOException e) {
            throw CompactModelException.in(file, name, "ends inside its header; expected an array as Nd4j.write "
                    + "writes it", e);
        }
        INDArray array;
        try (DataInputStream data = new DataInputStream(new ByteArrayInputStream(bytes))) {
            array = Nd4j.read(data);
        } catch (IOException | RuntimeException e) {
            throw CompactModelException.in(file, name, "cannot be read by ND4J after its header was checked", e);
        }
        expect(file, name, "array length", array.length(), length);
        return array;
    }

    /** Whether a buffer header of allocation mode {@code mode} stores its length as a long (else as an int). */
    private static boolean longLength(Path file, String name, String mode) {
        try {
            return DataBuffer.AllocationMode.valueOf(mode).ordinal() >= DataBuffer.AllocationMode.LONG_SHAPE.ordinal();
        } catch (IllegalArgumentException e) {
            throw CompactModelException.in(file, name, "allocation mode = \"" + mode + "\"; expected one of "
                    + Arrays.toString(DataBuffer.AllocationMode.values()));
        }
    }

    /** A vector of {@code length} values: every dimension at least 0, all but one of size 1, the product exact. */
    private static void checkShape(Path file, String name, long[] shape, long length) {
        long product = 1;
        int longDimensions = 0;
        for (long s : shape) {
            if (s < 0 || (s > 0 && product > Long.MAX_VALUE / s)) {
                throw CompactModelException.in(file, name, "shape = " + Arrays.toString(shape) + "; expected "
                        + "non-negative sizes whose product is a length");
            }
            product *= s;
            longDimensions += s > 1 ? 1 : 0;
        }
        if (product != length || longDimensions > 1) {
            throw CompactModelException.in(file, name, "shape = " + Arrays.toString(shape) + "; expected a vector "
                    + "of " + length + " values");
        }
    }

    /** The strides of a contiguous array of {@code shape} in {@code order}. */
    private static long[] contiguous(long[] shape, char order) {
        long[] stride = new long[shape.length];
        long step = 1;
        for (int k = 0; k < shape.length; k++) {
            int i = order == 'c' ? shape.length - 1 - k : k;
            stride[i] = step;
            step *= shape[i];
        }
        return stride;
    }

    private static void expect(Path file, String name, String field, Object actual, Object expected) {
        if (!actual.equals(expected)) {
            throw CompactModelException.in(file, name, field + " = " + actual + "; expected " + expected);
        }
    }

    private static void expect(Path file, String name, String field, long actual, long expected) {
        if (actual != expected) {
            throw CompactModelException.in(file, name, field + " = " + actual + "; expected " + expected);
        }
    }
}
