package io.github.dl4jspectral.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small synthetic IDX files for the data tests: pixel p of image i is (7 i + p) mod 256, label i mod 10. */
final class IdxFiles {

    private IdxFiles() {
    }

    static int pixel(int image, int p) {
        return (7 * image + p) % 256;
    }

    static byte[] images(int count, int rows, int columns) {
        return images(count, count, rows, columns);
    }

    /** An images file whose header claims {@code claimed} images but which holds {@code actual}. */
    static byte[] images(int claimed, int actual, int rows, int columns) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(IdxReader.IMAGES_MAGIC);
            out.writeInt(claimed);
            out.writeInt(rows);
            out.writeInt(columns);
            for (int i = 0; i < actual; i++) {
                for (int p = 0; p < rows * columns; p++) {
                    out.writeByte(pixel(i, p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] labels(int count) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(IdxReader.LABELS_MAGIC);
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                out.writeByte(i % 10);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** All four Fashion-MNIST files, gzipped, with {@code train} and {@code test} examples of 28x28. */
    static Path dataset(Path dir, int train, int test) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(images(train, 28, 28)));
            Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(train)));
            Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), gzip(images(test, 28, 28)));
            Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gzip(labels(test)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
