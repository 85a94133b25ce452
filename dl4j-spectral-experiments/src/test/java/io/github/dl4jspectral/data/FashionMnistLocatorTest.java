package io.github.dl4jspectral.data;

import com.sun.net.httpserver.HttpServer;
import io.github.dl4jspectral.data.FashionMnist.Split;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The search order of FashionMnistLocator, and the download against a local HTTP server. */
class FashionMnistLocatorTest {

    /** What an "endless" or "overlong" body sends at most if the client never hangs up. */
    private static final long ENDLESS_BYTES = 64L << 20;
    /** Download lock the downloader keeps in the directory it downloads into. */
    private static final String LOCK = ".download.lock";

    @TempDir
    Path tmp;

    private Path system;
    private Path resources;
    private Path served;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    /**
     * File name to how the server mangles it: "truncate", "corrupt", "endless" (zeros without a Content-Length),
     * "overlong" (zeros under a Content-Length of 1 GiB), or absent for a faithful copy.
     */
    private final Map<String, String> faults = new ConcurrentHashMap<>();

    @BeforeEach
    void startServer() throws IOException {
        system = tmp.resolve("system");
        resources = tmp.resolve("resources");
        served = IdxFiles.dataset(tmp.resolve("served"), 30, 20);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fashion/", exchange -> {
            requests.incrementAndGet();
            String name = Path.of(exchange.getRequestURI().getPath()).getFileName().toString();
            Path file = served.resolve(name);
            if (!Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            String fault = faults.get(name);
            if ("endless".equals(fault) || "overlong".equals(fault)) {
                // Zeros until the client hangs up (the write then throws) or, failing that, ENDLESS_BYTES.
                exchange.sendResponseHeaders(200, "endless".equals(fault) ? 0 : 1L << 30);
                byte[] zeros = new byte[1 << 16];
                try (OutputStream out = exchange.getResponseBody()) {
                    for (long sent = 0; sent < ENDLESS_BYTES; sent += zeros.length) {
                        out.write(zeros);
                    }
                }
                return;
            }
            byte[] body = Files.readAllBytes(file);
            if ("corrupt".equals(fault)) {
                body[body.length / 2] ^= 0x55;
            }
            exchange.sendResponseHeaders(200, body.length);
            // A truncated body makes close() throw; the exception, thrown on to the server, drops the connection.
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body, 0, "truncate".equals(fault) ? body.length / 3 : body.length);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/fashion/");
    }

    private Map<String, String> md5OfServedFiles() throws Exception {
        Map<String, String> md5 = new HashMap<>();
        for (String file : FashionMnistLocator.CANONICAL_MD5.keySet()) {
            md5.put(file, HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(served.resolve(file)))));
        }
        return md5;
    }

    private FashionMnistLocator.Builder locator() throws Exception {
        return FashionMnistLocator.builder().systemDirectory(system).resourcesDirectory(resources)
                .downloadFrom(address(), md5OfServedFiles())
                .classLoader(new URLClassLoader(new URL[0], null));
    }

    /** Names of the files in {@code dir} (none if it does not exist). */
    private static Set<String> filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void userDirectoryComesFirstAndMayHoldRawFiles() throws Exception {
        IdxFiles.dataset(system, 5, 5);
        Path user = tmp.resolve("user");
        Files.createDirectories(user);
        Files.write(user.resolve("train-images-idx3-ubyte"), IdxFiles.images(7, 28, 28));
        Files.write(user.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(7));
        Files.write(user.resolve("t10k-images-idx3-ubyte.gz"), IdxFiles.gzip(IdxFiles.images(3, 28, 28)));
        Files.write(user.resolve("t10k-labels-idx1-ubyte.gz"), IdxFiles.gzip(IdxFiles.labels(3)));
        FashionMnistFiles files = locator().directory(user).build().locate();
        assertEquals(DataOrigin.USER_DIRECTORY, files.origin());
        assertEquals(7, files.load(Split.TRAIN).size());
        assertEquals(3, files.load(Split.TEST).size());
        assertEquals(0, requests.get());
    }

    @Test
    void userDirectoryLackingAFileIsAnErrorNotAFallback() throws Exception {
        IdxFiles.dataset(system, 5, 5);
        Path user = IdxFiles.dataset(tmp.resolve("user"), 5, 5);
        Files.delete(user.resolve("t10k-labels-idx1-ubyte.gz"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> locator().directory(user).build().locate());
        assertTrue(e.getMessage().contains(user.toString()) && e.getMessage().contains("t10k-labels-idx1-ubyte[.gz]"),
                e.getMessage());
    }

    @Test
    void systemDirectoryComesBeforeResourcesAndDownload() throws Exception {
        IdxFiles.dataset(system, 11, 5);
        IdxFiles.dataset(resources, 12, 5);
        FashionMnistFiles files = locator().build().locate();
        assertEquals(DataOrigin.SYSTEM_DIRECTORY, files.origin());
        assertEquals(11, files.load(Split.TRAIN).size());
        assertEquals(0, requests.get());
    }

    @Test
    void resourcesDirectoryComesBeforeTheDownload() throws Exception {
        IdxFiles.dataset(resources, 12, 5);
        FashionMnistFiles files = locator().build().locate();
        assertEquals(DataOrigin.DL4J_RESOURCES, files.origin());
        assertEquals(12, files.load(Split.TRAIN).size());
        assertEquals(0, requests.get());
    }

    @Test
    void downloadIsVerifiedKeptAndReusedWithoutAnotherRequest() throws Exception {
        FashionMnistFiles files = locator().build().locate();
        assertEquals(DataOrigin.DOWNLOAD, files.origin());
        assertEquals(30, files.load(Split.TRAIN).size());
        assertEquals(20, files.load(Split.TEST).size());
        assertEquals(4, requests.get());
        assertEquals(new TreeSet<>(List.of(LOCK, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")), filesIn(resources),
                "only the four verified files (and the download lock) are kept");

        FashionMnistFiles again = locator().build().locate();
        assertEquals(DataOrigin.DL4J_RESOURCES, again.origin());
        assertEquals(4, requests.get(), "the second locate must not download again");
    }

    @Test
    void corruptDownloadIsRejectedAndNotCached() throws Exception {
        faults.put("t10k-images-idx3-ubyte.gz", "corrupt");
        FashionMnistLocator strict = locator().fullDatasetOnly().build();
        IllegalStateException e = assertThrows(IllegalStateException.class, strict::locate);
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz: MD5") && e.getMessage().contains("corrupt download"),
                e.getMessage());
        assertTrue(Files.notExists(resources.resolve("t10k-images-idx3-ubyte.gz")));
        try (Stream<Path> left = Files.list(resources)) {
            assertTrue(left.noneMatch(p -> p.toString().endsWith(".part")), "no partial file may remain");
        }

        faults.clear();
        assertEquals(DataOrigin.DOWNLOAD, locator().build().locate().origin(),
                "a later locate downloads the rejected file again");
    }

    @Test
    void truncatedDownloadIsRejectedAndNotCached() throws Exception {
        faults.put("train-images-idx3-ubyte.gz", "truncate");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> locator().fullDatasetOnly().build().locate());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz") && e.getMessage().contains("nothing kept"),
                e.getMessage());
        assertEquals(Set.of(LOCK), filesIn(resources));
    }

    @Test
    @Timeout(60)
    void endlessBodyIsCutOffAtTheCapAndNothingKept() throws Exception {
        faults.put("train-labels-idx1-ubyte.gz", "endless");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> locator().fullDatasetOnly().build().locate());
        // Zalando's train-labels-idx1-ubyte.gz has 29,515 bytes; the cap adds 64 KiB.
        assertTrue(e.getMessage().contains(address() + "train-labels-idx1-ubyte.gz: body exceeds the download cap;"
                + " got more than 95051 bytes; expected at most 95051 (29515 published + 65536 margin); nothing kept"),
                e.getMessage());
        assertEquals(Set.of(LOCK, "train-images-idx3-ubyte.gz"), filesIn(resources),
                "the verified first file stays; nothing of the endless one, not even a .part");
    }

    @Test
    @Timeout(60)
    void contentLengthOverTheCapIsRefusedBeforeTheBody() throws Exception {
        faults.put("t10k-labels-idx1-ubyte.gz", "overlong");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> locator().fullDatasetOnly().build().locate());
        // Zalando's t10k-labels-idx1-ubyte.gz has 5,148 bytes; the cap adds 64 KiB.
        assertTrue(e.getMessage().contains(address() + "t10k-labels-idx1-ubyte.gz: Content-Length 1073741824;"
                + " expected at most 70684 (5148 published + 65536 margin); nothing kept"), e.getMessage());
        assertEquals(Set.of(LOCK, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz"), filesIn(resources));
    }

    @Test
    void stalePartsOfTheDatasetAreRemovedBeforeDownloading() throws Exception {
        Files.createDirectories(resources);
        Files.write(resources.resolve("train-images-idx3-ubyte.gz.part"), new byte[1000]);
        // the name the previous downloader gave its partial files (Files.createTempFile)
        Files.write(resources.resolve("t10k-labels-idx1-ubyte.gz8157340771031270528.part"), new byte[10]);
        Files.write(resources.resolve("notes.part"), new byte[3]);
        FashionMnistFiles files = locator().build().locate();
        assertEquals(DataOrigin.DOWNLOAD, files.origin());
        assertEquals(new TreeSet<>(List.of(LOCK, "notes.part", "train-images-idx3-ubyte.gz",
                "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")),
                filesIn(resources), "the dataset's stale parts are gone; a file not of the dataset stays");
    }

    @Test
    void failedDownloadLeavesTheFilesAlreadyThereUntouched() throws Exception {
        IdxFiles.dataset(resources, 12, 5);
        Files.delete(resources.resolve("t10k-labels-idx1-ubyte.gz"));
        Map<String, byte[]> before = new HashMap<>();
        for (String name : filesIn(resources)) {
            before.put(name, Files.readAllBytes(resources.resolve(name)));
        }
        faults.put("t10k-labels-idx1-ubyte.gz", "corrupt");
        assertThrows(IllegalStateException.class, () -> locator().fullDatasetOnly().build().locate());
        assertEquals(1, requests.get(), "only the missing file is fetched");
        Set<String> expected = new TreeSet<>(before.keySet());
        expected.add(LOCK);
        assertEquals(expected, filesIn(resources));
        for (Map.Entry<String, byte[]> file : before.entrySet()) {
            assertArrayEquals(file.getValue(), Files.readAllBytes(resources.resolve(file.getKey())), file.getKey());
        }
    }

    @Test
    @Timeout(60)
    void concurrentLocatesDownloadEachFileOnce() throws Exception {
        FashionMnistLocator locator = locator().fullDatasetOnly().build();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<FashionMnistFiles> locate = locator::locate;
            List<Future<FashionMnistFiles>> both = pool.invokeAll(List.of(locate, locate));
            for (Future<FashionMnistFiles> files : both) {
                assertEquals(30, files.get().load(Split.TRAIN).size());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(4, requests.get(), "the second locate waits for the first and finds its files");
    }

    @Test
    void failedDownloadFallsBackToTheBundledSubset() throws Exception {
        faults.put("train-labels-idx1-ubyte.gz", "corrupt");
        Path jar = IdxFiles.dataset(tmp.resolve("classes").resolve(FashionMnistLocator.BUNDLED_RESOURCES), 9, 4);
        assertTrue(Files.isDirectory(jar));
        URLClassLoader bundled = new URLClassLoader(new URL[]{tmp.resolve("classes").toUri().toURL()}, null);
        FashionMnistFiles files = locator().classLoader(bundled).build().locate();
        assertEquals(DataOrigin.BUNDLED_SUBSET, files.origin());
        assertEquals(9, files.load(Split.TRAIN).size());
        assertEquals(4, files.load(Split.TEST).size());
    }

    @Test
    void bundledSubsetOnlyIgnoresTheFullDataset() throws Exception {
        IdxFiles.dataset(system, 11, 5);
        IdxFiles.dataset(tmp.resolve("classes").resolve(FashionMnistLocator.BUNDLED_RESOURCES), 9, 4);
        URLClassLoader bundled = new URLClassLoader(new URL[]{tmp.resolve("classes").toUri().toURL()}, null);
        FashionMnistFiles files = locator().classLoader(bundled).bundledSubsetOnly().build().locate();
        assertEquals(DataOrigin.BUNDLED_SUBSET, files.origin());
        assertEquals(9, files.load(Split.TRAIN).size());
    }

    @Test
    void nothingAnywhereListsWhatEachSourceLacked() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> locator().noDownload().build().locate());
        assertTrue(e.getMessage().contains(system.toString() + " lacks"), e.getMessage());
        assertTrue(e.getMessage().contains(resources.toString() + " lacks"), e.getMessage());
        assertTrue(e.getMessage().contains("no bundled subset"), e.getMessage());
        assertEquals(0, requests.get());
    }

    @Test
    void downloadAddressMustBeAFolderWithEveryChecksum() {
        IllegalArgumentException folder = assertThrows(IllegalArgumentException.class,
                () -> FashionMnistLocator.builder().downloadFrom(URI.create("http://127.0.0.1/x"), FashionMnistLocator.CANONICAL_MD5));
        assertTrue(folder.getMessage().contains("ending in '/'"), folder.getMessage());
        IllegalArgumentException md5 = assertThrows(IllegalArgumentException.class,
                () -> FashionMnistLocator.builder().downloadFrom(URI.create("http://127.0.0.1/x/"), Map.of()));
        assertTrue(md5.getMessage().contains("no checksum for"), md5.getMessage());
    }

    @Test
    void canonicalAddressIsHttpsAndEveryFileHasAChecksumAndASize() throws IOException {
        assertEquals("https", FashionMnistLocator.CANONICAL_ADDRESS.getScheme());
        assertEquals(FashionMnistLocator.CANONICAL_MD5.keySet(), FashionMnistLocator.CANONICAL_SIZES.keySet());
        // Debian's copies differ from Zalando's originals only by the file name (and its NUL) in the gzip header.
        Path debian = Path.of(FashionMnistLocator.SYSTEM_DIRECTORY);
        assumeTrue(Files.isDirectory(debian), "Debian's dataset-fashion-mnist is not installed");
        for (Map.Entry<String, Long> file : FashionMnistLocator.CANONICAL_SIZES.entrySet()) {
            long stored = file.getKey().length() - ".gz".length() + 1;
            assertEquals(file.getValue(), Files.size(debian.resolve(file.getKey())) + stored, file.getKey());
        }
    }
}
