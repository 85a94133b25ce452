package io.github.dl4jspectral.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a pair of IDX files (the format of MNIST and Fashion-MNIST, raw or gzipped: the gzip magic
 * number decides) into {@link LabeledImages}. Images: magic 0x00000803, count, rows, columns, then
 * count x rows x columns unsigned bytes. Labels: magic 0x00000801, count, then count bytes.
 * Every inconsistency (bad magic number, a negative count, rows or columns below 1, more pixels than one
 * Java array holds, a header count the file does not hold, trailing bytes, images and labels disagreeing,
 * a label outside 0..classes-1) is an {@link IdxFormatException} naming the file.
 * <p>
 * The header's count is not believed before the data arrives: the body is read into a buffer that starts at
 * {@value #FIRST_BUFFER_BYTES} bytes (or the claimed size, if smaller) and doubles whenever the data fills it,
 * never past the claimed size. A short or corrupt file claiming billions of bytes thus costs memory in proportion
 * to what it holds, not to what it claims, whether raw or gzipped (whose uncompressed size is unknown until the
 * stream ends).
 */
final class IdxReader {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    /** The largest body read: the largest byte array a JVM reliably allocates. */
    static final int MAX_BODY_BYTES = Integer.MAX_VALUE - 8;
    /** The body buffer starts at this size (or the claimed size, if smaller) and doubles as data arrives. */
    static final int FIRST_BUFFER_BYTES = 1 << 20;

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
            int count = atLeast(source, "image count", in.readInt(), 0);
            int rows = atLeast(source, "rows", in.readInt(), 1);
            int columns = atLeast(source, "columns", in.readInt(), 1);
            String what = count + " images of " + rows + "x" + columns;
            long pixelsPerImage = (long) rows * columns;
            if (pixelsPerImage > MAX_BODY_BYTES) {
                throw new IdxFormatException(source.name() + ": images of " + rows + "x" + columns
                        + " in the header; expected at most " + MAX_BODY_BYTES + " pixels per image (one Java array)");
            }
            if (count > MAX_BODY_BYTES / pixelsPerImage) {
                throw new IdxFormatException(source.name() + ": " + what + " in the header; expected at most "
                        + MAX_BODY_BYTES + " pixels in all (one Java array)");
            }
            byte[] bytes = readBody(source, in, (int) (count * pixelsPerImage), what);
            return new Images(count, rows, columns, bytes);
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    private static byte[] readLabels(IdxSource source, int classes) {
        try (DataInputStream in = open(source)) {
            checkMagic(source, in.readInt(), LABELS_MAGIC, "labels (idx1)");
            int count = atLeast(source, "label count", in.readInt(), 0);
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

    /**
     * The {@code size} bytes after the header, in a buffer that grows with the data received rather than with the
     * header's claim; fails if the file ends before {@code size} bytes or holds more.
     */
    private static byte[] readBody(IdxSource source, DataInputStream in, int size, String what) throws IOException {
        byte[] body = new byte[Math.min(size, FIRST_BUFFER_BYTES)];
        int received = 0;
        try {
            while (received < size) {
                if (received == body.length) {
                    body = Arrays.copyOf(body, (int) Math.min(size, 2L * body.length));
                }
                int n = in.read(body, received, body.length - received);
                if (n < 0) {
                    throw endsEarly(source, received, size, what, "file ends early", null);
                }
                received += n;
            }
        } catch (EOFException e) {
            // A gzip stream cut off inside its compressed data.
            throw endsEarly(source, received, size, what, "file ends early (" + e.getMessage() + ")", e);
        }
        if (in.read() != -1) {
            throw new IdxFormatException(source.name() + ": bytes after the " + what + " its header promises");
        }
        return body;
    }

    private static IdxFormatException endsEarly(IdxSource source, int received, int size, String what, String problem,
                                                EOFException cause) {
        return new IdxFormatException(source.name() + ": " + problem + "; got " + received
                + " bytes after the header; expected " + size + " bytes (its header promises " + what + ")", cause);
    }

    private static void checkMagic(IdxSource source, int magic, int expected, String kind) {
        if (magic != expected) {
            throw new IdxFormatException(String.format("%s: magic number 0x%08x; expected 0x%08x for IDX %s",
                    source.name(), magic, expected, kind));
        }
    }

    private static int atLeast(IdxSource source, String field, int value, int minimum) {
        if (value < minimum) {
            throw new IdxFormatException(source.name() + ": " + field + " " + value + " in the header; expected >= "
                    + minimum);
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
