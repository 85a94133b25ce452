package io.github.dl4jspectral.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a pair of IDX files (the format of MNIST and Fashion-MNIST, raw or gzipped: the gzip magic
 * number decides) into {@link LabeledImages}. Images: magic 0x00000803, count, rows, columns, then
 * count x rows x columns unsigned bytes. Labels: magic 0x00000801, count, then count bytes.
 * Every inconsistency (bad magic number, a header count the file does not hold, trailing bytes,
 * images and labels disagreeing, a label outside 0..classes-1) is an {@link IdxFormatException}
 * naming the file.
 */
final class IdxReader {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** Reads both files and checks that they describe the same examples. */
    static LabeledImages read(IdxSource images, IdxSource labels, int classes) {
        Images pixels = readImages(images);
        byte[] classOf = readLabels(labels, classes);
        if (classOf.length != pixels.count()) {
            throw new IdxFormatException(labels.name() + ": " + classOf.length + " labels, but "
                    + images.name() + " holds " + pixels.count() + " images; expected one label per image");
        }
        return new LabeledImages(images.name(), pixels.rows(), pixels.columns(), pixels.bytes(), classOf);
    }

    private record Images(int count, int rows, int columns, byte[] bytes) {
    }

    private static Images readImages(IdxSource source) {
        try (DataInputStream in = open(source)) {
            checkMagic(source, in.readInt(), IMAGES_MAGIC, "images (idx3)");
            int count = nonNegative(source, "image count", in.readInt());
            int rows = nonNegative(source, "rows", in.readInt());
            int columns = nonNegative(source, "columns", in.readInt());
            long size = (long) count * rows * columns;
            if (size > Integer.MAX_VALUE - 8) {
                throw new IdxFormatException(source.name() + ": " + count + " images of " + rows + "x" + columns
                        + " do not fit one array");
            }
            byte[] bytes = readBody(source, in, (int) size, count + " images of " + rows + "x" + columns);
            return new Images(count, rows, columns, bytes);
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    private static byte[] readLabels(IdxSource source, int classes) {
        try (DataInputStream in = open(source)) {
            checkMagic(source, in.readInt(), LABELS_MAGIC, "labels (idx1)");
            int count = nonNegative(source, "label count", in.readInt());
            byte[] labels = readBody(source, in, count, count + " labels");
            for (int i = 0; i < count; i++) {
                if (labels[i] < 0 || labels[i] >= classes) {
                    throw new IdxFormatException(source.name() + ": label " + (labels[i] & 0xFF) + " at index " + i
                            + "; expected 0.." + (classes - 1));
                }
            }
            return labels;
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    private static DataInputStream open(IdxSource source) throws IOException {
        InputStream raw = new BufferedInputStream(source.open(), 1 << 16);
        raw.mark(2);
        boolean gzipped = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        return new DataInputStream(gzipped ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw);
    }

    private static byte[] readBody(IdxSource source, DataInputStream in, int size, String what) throws IOException {
        byte[] body = new byte[size];
        try {
            in.readFully(body);
        } catch (EOFException e) {
            throw new IdxFormatException(source.name() + ": file ends early; its header promises " + what
                    + " (" + size + " bytes after the header)");
        }
        if (in.read() != -1) {
            throw new IdxFormatException(source.name() + ": bytes after the " + what + " its header promises");
        }
        return body;
    }

    private static void checkMagic(IdxSource source, int magic, int expected, String kind) {
        if (magic != expected) {
            throw new IdxFormatException(String.format("%s: magic number 0x%08x; expected 0x%08x for IDX %s",
                    source.name(), magic, expected, kind));
        }
    }

    private static int nonNegative(IdxSource source, String field, int value) {
        if (value < 0) {
            throw new IdxFormatException(source.name() + ": " + field + " " + value + " in the header; expected >= 0");
        }
        return value;
    }

    private static RuntimeException unreadable(IdxSource source, IOException e) {
        if (e instanceof EOFException) {
            return new IdxFormatException(source.name() + ": file ends inside the IDX header", e);
        }
        if (e instanceof ZipException) {
            return new IdxFormatException(source.name() + ": not a valid gzip file (" + e.getMessage() + ")", e);
        }
        return new UncheckedIOException(source.name() + ": " + e.getMessage(), e);
    }
}
