package io.github.dl4jspectral.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class IdxReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private LabeledImages read(byte[] images, byte[] labels) throws IOException {
        return IdxReader.read(IdxSource.of(write("images", images)), IdxSource.of(write("labels", labels)), 10);
    }

    @Test
    void rawAndGzippedFilesGiveTheSamePixelsAndLabels() throws IOException {
        LabeledImages raw = read(IdxFiles.images(12, 3, 4), IdxFiles.labels(12));
        LabeledImages gz = read(IdxFiles.gzip(IdxFiles.images(12, 3, 4)), IdxFiles.gzip(IdxFiles.labels(12)));
        for (LabeledImages data : new LabeledImages[]{raw, gz}) {
            assertEquals(12, data.size());
            assertEquals(3, data.rows());
            assertEquals(4, data.columns());
            for (int i = 0; i < 12; i++) {
                assertEquals(i % 10, data.label(i));
                for (int p = 0; p < 12; p++) {
                    assertEquals(IdxFiles.pixel(i, p), data.pixel(i, p));
                }
            }
        }
    }

    @Test
    void pixelsAbove127AreReadUnsigned() throws IOException {
        LabeledImages data = read(IdxFiles.images(40, 2, 2), IdxFiles.labels(40));
        // image 36, pixel 3: 7 * 36 + 3 = 255, a negative Java byte
        assertEquals(255, data.pixel(36, 3));
        float scaled = data.toDataSet(new int[]{36}, 10, true).getFeatures().getFloat(0, 3);
        assertEquals(1f, scaled, 1e-6f);
    }

    @Test
    void badMagicNumberIsNamedWithTheFile() throws IOException {
        byte[] labelsAsImages = IdxFiles.labels(5);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> read(labelsAsImages, IdxFiles.labels(5)));
        assertTrue(e.getMessage().contains(dir.resolve("images").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("magic number 0x00000801; expected 0x00000803"), e.getMessage());
    }

    @Test
    void headerPromisingMoreImagesThanTheFileHoldsIsRejected() throws IOException {
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> read(IdxFiles.images(10, 7, 2, 2), IdxFiles.labels(10)));
        assertTrue(e.getMessage().contains("file ends early") && e.getMessage().contains("10 images of 2x2"),
                e.getMessage());
    }

    @Test
    void truncatedGzipIsRejectedNamingTheFile() throws IOException {
        byte[] gz = IdxFiles.gzip(IdxFiles.images(50, 28, 28));
        byte[] truncated = Arrays.copyOf(gz, gz.length / 2);
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> read(truncated, IdxFiles.labels(50)));
        assertTrue(e.getMessage().startsWith(dir.resolve("images").toString()), e.getMessage());
    }

    @Test
    void bytesAfterTheLastImageAreRejected() throws IOException {
        byte[] images = IdxFiles.images(3, 5, 2, 2);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> read(images, IdxFiles.labels(3)));
        assertTrue(e.getMessage().contains("bytes after the 3 images"), e.getMessage());
    }

    @Test
    void imagesAndLabelsOfDifferentCountsAreRejected() throws IOException {
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> read(IdxFiles.images(8, 2, 2), IdxFiles.labels(9)));
        assertTrue(e.getMessage().contains("9 labels, but") && e.getMessage().contains("holds 8 images"), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.resolve("labels").toString()), e.getMessage());
    }

    @Test
    void labelOutsideTheClassesIsRejected() throws IOException {
        byte[] labels = IdxFiles.labels(4);
        labels[8 + 2] = 12;
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> read(IdxFiles.images(4, 2, 2), labels));
        assertTrue(e.getMessage().contains("label 12 at index 2; expected 0..9"), e.getMessage());
    }

    @Test
    void gzipMagicFollowedByGarbageIsNotAValidGzipFile() throws IOException {
        byte[] garbage = {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> read(garbage, IdxFiles.labels(1)));
        assertTrue(e.getMessage().contains(dir.resolve("images").toString()), e.getMessage());
    }

    @Test
    void fashionMnistFilesMustHold28By28Images() throws IOException {
        Path images = write("train-images-idx3-ubyte", IdxFiles.images(2, 27, 28));
        Path labels = write("train-labels-idx1-ubyte", IdxFiles.labels(2));
        FashionMnistFiles files = new FashionMnistFiles(DataOrigin.USER_DIRECTORY, dir.toString(),
                java.util.Map.of(FashionMnist.Split.TRAIN, IdxSource.of(images)),
                java.util.Map.of(FashionMnist.Split.TRAIN, IdxSource.of(labels)));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> files.load(FashionMnist.Split.TRAIN));
        assertTrue(e.getMessage().contains("images of 27x28; expected 28x28"), e.getMessage());
    }

    /** Bytes this thread has allocated so far (HotSpot's per-thread counter). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** A header (big-endian ints) followed by {@code body}. */
    private static byte[] idx(int[] header, byte[] body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (int field : header) {
                out.writeInt(field);
            }
            out.write(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    /** At most this much may be allocated to read a file whose header claims far more than it holds. */
    private static final long ALLOCATION_BOUND = 16L << 20;

    @Test
    void labelsHeaderClaimingTwoBillionLabelsIsCheckedAgainstTheDataNotAllocated() throws IOException {
        byte[] header = idx(new int[]{IdxReader.LABELS_MAGIC, 2_000_000_000}, new byte[0]);
        assertEquals(8, header.length);
        for (UnaryOperator<byte[]> encoding : java.util.List.<UnaryOperator<byte[]>>of(b -> b, IdxFiles::gzip)) {
            byte[] labels = encoding.apply(header);
            long before = allocatedBytes();
            IdxFormatException e = assertThrows(IdxFormatException.class,
                    () -> read(IdxFiles.images(3, 2, 2), labels));
            long allocated = allocatedBytes() - before;
            assertTrue(e.getMessage().startsWith(dir.resolve("labels") + ": file ends early"), e.getMessage());
            assertTrue(e.getMessage().contains("got 0 bytes after the header; expected 2000000000 bytes"
                    + " (its header promises 2000000000 labels)"), e.getMessage());
            assertTrue(allocated < ALLOCATION_BOUND, "allocated " + allocated + " bytes for an 8-byte file");
        }
    }

    @Test
    void imagesHeaderClaiming2700000ImagesIsCheckedAgainstTheDataNotAllocated() throws IOException {
        byte[] header = idx(new int[]{IdxReader.IMAGES_MAGIC, 2_700_000, 28, 28}, new byte[100]);
        for (UnaryOperator<byte[]> encoding : java.util.List.<UnaryOperator<byte[]>>of(b -> b, IdxFiles::gzip)) {
            byte[] images = encoding.apply(header);
            long before = allocatedBytes();
            IdxFormatException e = assertThrows(IdxFormatException.class, () -> read(images, IdxFiles.labels(3)));
            long allocated = allocatedBytes() - before;
            assertTrue(e.getMessage().startsWith(dir.resolve("images") + ": file ends early"), e.getMessage());
            assertTrue(e.getMessage().contains("got 100 bytes after the header; expected 2116800000 bytes"
                    + " (its header promises 2700000 images of 28x28)"), e.getMessage());
            assertTrue(allocated < ALLOCATION_BOUND, "allocated " + allocated + " bytes for a 116-byte file");
        }
    }

    @Test
    void dimensionsThatAreZeroNegativeOrOverflowAreRejected() throws IOException {
        // 16 x 2^30 x 2^30 = 2^64 bytes, which a long product wraps to 0.
        IdxFormatException wraps = assertThrows(IdxFormatException.class, () -> read(
                idx(new int[]{IdxReader.IMAGES_MAGIC, 16, 1 << 30, 1 << 30}, new byte[0]), IdxFiles.labels(16)));
        assertEquals(dir.resolve("images") + ": images of 1073741824x1073741824 in the header; expected at most"
                + " 2147483639 pixels per image (one Java array)", wraps.getMessage());
        IdxFormatException huge = assertThrows(IdxFormatException.class, () -> read(idx(new int[]{
                IdxReader.IMAGES_MAGIC, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, new byte[0]),
                IdxFiles.labels(1)));
        assertTrue(huge.getMessage().contains(": images of 2147483647x2147483647 in the header"), huge.getMessage());
        IdxFormatException many = assertThrows(IdxFormatException.class, () -> read(
                idx(new int[]{IdxReader.IMAGES_MAGIC, 1_000_000, 2048, 2048}, new byte[0]), IdxFiles.labels(1)));
        assertEquals(dir.resolve("images") + ": 1000000 images of 2048x2048 in the header; expected at most"
                + " 2147483639 pixels in all (one Java array)", many.getMessage());
        IdxFormatException zero = assertThrows(IdxFormatException.class, () -> read(
                idx(new int[]{IdxReader.IMAGES_MAGIC, 5, 0, 28}, new byte[0]), IdxFiles.labels(5)));
        assertTrue(zero.getMessage().endsWith(": rows 0 in the header; expected >= 1"), zero.getMessage());
        IdxFormatException negative = assertThrows(IdxFormatException.class, () -> read(
                idx(new int[]{IdxReader.IMAGES_MAGIC, 5, 28, -28}, new byte[0]), IdxFiles.labels(5)));
        assertTrue(negative.getMessage().endsWith(": columns -28 in the header; expected >= 1"), negative.getMessage());
    }

    /** A header field: a small value half the time, else one that tends to break readers. */
    private static int field(Random random, boolean plausible) {
        if (plausible) {
            return random.nextInt(7);
        }
        int[] edges = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE - 8, 2_000_000_000,
                2_700_000, 1 << 30, 1 << 16, 46_341, 784};
        return random.nextBoolean() ? edges[random.nextInt(edges.length)] : random.nextInt();
    }

    /**
     * A body of {@code claimed} bytes (a quarter of the time one fewer or more) if that is small, else of up to
     * 63 bytes; each byte below {@code bound}, now and then any byte.
     */
    private static byte[] body(Random random, long claimed, int bound) {
        int jitter = random.nextInt(4) == 0 ? (random.nextBoolean() ? 1 : -1) : 0;
        int length = claimed >= 0 && claimed <= 4096 ? (int) Math.max(0, claimed + jitter) : random.nextInt(64);
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            body[i] = (byte) (random.nextInt(50) == 0 ? random.nextInt(256) : random.nextInt(bound));
        }
        return body;
    }

    @Test
    void randomHeadersEitherLoadConsistentlyOrFailNamingTheFile() throws IOException {
        Random random = new Random(20_240_611L);
        int loaded = 0;
        int rejected = 0;
        for (int c = 0; c < 400; c++) {
            boolean plausible = random.nextBoolean();
            boolean gzip = c % 2 == 1;
            int imagesMagic = random.nextInt(12) == 0 ? random.nextInt() : IdxReader.IMAGES_MAGIC;
            int count = field(random, plausible);
            int rows = field(random, plausible);
            int columns = field(random, plausible);
            int labelsMagic = random.nextInt(12) == 0 ? IdxReader.IMAGES_MAGIC : IdxReader.LABELS_MAGIC;
            int labelCount = random.nextInt(6) == 0 ? field(random, plausible) : count;
            boolean dimensionsFit = count >= 0 && rows >= 1 && columns >= 1
                    && (long) rows * columns <= Integer.MAX_VALUE - 8
                    && count <= (Integer.MAX_VALUE - 8) / ((long) rows * columns);
            byte[] pixels = body(random, dimensionsFit ? (long) count * rows * columns : -1, 256);
            byte[] classes = body(random, labelCount, 10);
            boolean valid = imagesMagic == IdxReader.IMAGES_MAGIC && labelsMagic == IdxReader.LABELS_MAGIC
                    && dimensionsFit && pixels.length == (long) count * rows * columns
                    && labelCount == count && classes.length == labelCount;
            for (byte label : classes) {
                valid &= label >= 0 && label < 10;
            }
            byte[] images = idx(new int[]{imagesMagic, count, rows, columns}, pixels);
            byte[] labels = idx(new int[]{labelsMagic, labelCount}, classes);
            if (gzip) {
                images = IdxFiles.gzip(images);
                labels = IdxFiles.gzip(labels);
            }
            String what = String.format("case %d%s: images header 0x%08x %d x %d x %d with %d bytes;"
                            + " labels header 0x%08x %d with %d bytes", c, gzip ? " (gzip)" : "", imagesMagic, count,
                    rows, columns, pixels.length, labelsMagic, labelCount, classes.length);

            LabeledImages data = null;
            IdxFormatException error = null;
            long before = allocatedBytes();
            try {
                data = read(images, labels);
            } catch (IdxFormatException e) {
                error = e;
            } catch (RuntimeException | Error e) {
                throw new AssertionError(what + ": threw " + e, e);
            }
            long allocated = allocatedBytes() - before;
            assertTrue(allocated < ALLOCATION_BOUND + 4L * (images.length + labels.length),
                    what + ": allocated " + allocated + " bytes");
            if (error != null) {
                assertTrue(!valid, what + ": a consistent pair was rejected: " + error.getMessage());
                String message = error.getMessage();
                assertTrue(message.startsWith(dir.resolve("images") + ": ")
                        || message.startsWith(dir.resolve("labels") + ": "), what + ": " + message);
                rejected++;
                continue;
            }
            if (!valid) {
                fail(what + ": an inconsistent pair loaded as " + data.size() + " images of " + data.rows() + "x"
                        + data.columns());
            }
            assertEquals(count, data.size(), what);
            assertEquals(rows, data.rows(), what);
            assertEquals(columns, data.columns(), what);
            for (int i = 0; i < count; i++) {
                assertEquals(classes[i], data.label(i), what);
                for (int p = 0; p < rows * columns; p++) {
                    assertEquals(pixels[i * rows * columns + p] & 0xFF, data.pixel(i, p), what);
                }
            }
            loaded++;
        }
        assertTrue(loaded >= 20 && rejected >= 200, loaded + " cases loaded, " + rejected + " rejected");
    }
}
