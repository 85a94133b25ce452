package io.github.dl4jspectral.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
