package io.github.dl4jspectral.data;

import io.github.dl4jspectral.report.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Downloads the files a directory lacks, keeping each only if it arrived whole, within its size cap and with
 * the expected MD5:
 * <ul>
 *   <li>One download at a time per directory: the downloader holds an exclusive lock on the file
 *       {@value #LOCK_FILE} in that directory (a file lock between processes, a monitor between threads of
 *       this JVM), so whoever waits finds the files the other one fetched and skips them. The lock file stays.</li>
 *   <li>Holding the lock, it first deletes the ".part" files of the files it may fetch: no running download can
 *       own them, so a process killed mid-download left them.</li>
 *   <li>Each file's bytes go to {@code name.part} in the same directory. The download stops as soon as the body
 *       exceeds the file's cap, or at once if its Content-Length does. After the length and MD5 checks pass, the
 *       part is forced to disk and renamed into place atomically ({@link StandardCopyOption#ATOMIC_MOVE}, or a
 *       replacing move where the file system cannot rename atomically); on any failure it is deleted. A failed
 *       download thus leaves nothing behind and never touches a file already in the directory.</li>
 * </ul>
 */
final class FashionMnistDownload {

    /** The lock file in the download directory. */
    static final String LOCK_FILE = ".download.lock";
    /** Connect and read timeout: a server that stalls this long mid-file fails the download. */
    private static final int TIMEOUT_MILLIS = 30_000;
    /** Serializes the downloads of this JVM's threads (a file lock is held per process, not per thread). */
    private static final Object IN_THIS_JVM = new Object();
    private static final Logger LOG = LoggerFactory.getLogger(FashionMnistDownload.class);

    /**
     * What a downloaded file must be.
     *
     * @param md5      hex MD5 of the file
     * @param size     its published size in bytes
     * @param maxBytes the most bytes accepted before the download is stopped: {@code size} plus a margin
     */
    record Expected(String md5, long size, long maxBytes) {
    }

    private FashionMnistDownload() {
    }

    /**
     * Fetches each file of {@code files} (in the map's order) that {@code directory} lacks from
     * {@code base.resolve(name)}, creating the directory if needed.
     *
     * @throws IOException naming the address (or the lock file) if the server fails or stalls, the body exceeds
     *                     its cap or is shorter than its Content-Length, or the MD5 differs; the failing file is
     *                     not kept, files fetched before it are
     */
    static void fetchMissing(URI base, Map<String, Expected> files, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path lockFile = directory.resolve(LOCK_FILE);
        synchronized (IN_THIS_JVM) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lock(channel, lockFile)) {
                deleteStaleParts(directory, files.keySet());
                for (Map.Entry<String, Expected> file : files.entrySet()) {
                    Path target = directory.resolve(file.getKey());
                    if (!Files.isRegularFile(target)) {
                        LOG.info("Downloading {} from {} into {}", file.getKey(), base, directory);
                        fetch(base.resolve(file.getKey()), file.getValue(), target);
                    }
                }
            }
        }
    }

    private static FileLock lock(FileChannel channel, Path lockFile) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                LOG.info("Waiting for another process's download ({} is locked)", lockFile);
                lock = channel.lock();
            }
            return lock;
        } catch (IOException e) {
            throw new IOException(lockFile + ": cannot lock the download directory (" + e.getMessage() + ")", e);
        }
    }

    /** Deletes {@code directory}'s ".part" files whose names start with one of {@code names}. */
    private static void deleteStaleParts(Path directory, Iterable<String> names) throws IOException {
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(directory, "*.part")) {
            for (Path part : parts) {
                for (String name : names) {
                    if (part.getFileName().toString().startsWith(name)) {
                        LOG.info("Deleting {}, left by an interrupted download", part);
                        Files.deleteIfExists(part);
                        break;
                    }
                }
            }
        }
    }

    private static void fetch(URI address, Expected expected, Path target) throws IOException {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        String cap = expected.maxBytes() + " (" + expected.size() + " published + "
                + (expected.maxBytes() - expected.size()) + " margin)";
        HttpURLConnection connection = (HttpURLConnection) address.toURL().openConnection();
        try {
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            int status;
            try {
                status = connection.getResponseCode();
            } catch (IOException e) {
                throw new IOException(address + ": " + e, e);
            }
            if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException(address + ": HTTP status " + status + "; expected 200");
            }
            long promised = connection.getContentLengthLong();
            if (promised > expected.maxBytes()) {
                throw new IOException(address + ": Content-Length " + promised + "; expected at most " + cap
                        + "; nothing kept");
            }
            MessageDigest digest = md5();
            long received = 0;
            try (InputStream in = connection.getInputStream();
                 FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                         StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = read(in, buffer, address, received)) >= 0; ) {
                    received += n;
                    if (received > expected.maxBytes()) {
                        throw new IOException(address + ": body exceeds the download cap; got more than "
                                + expected.maxBytes() + " bytes; expected at most " + cap + "; nothing kept");
                    }
                    digest.update(buffer, 0, n);
                    ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                    while (bytes.hasRemaining()) {
                        out.write(bytes);
                    }
                }
                out.force(true);
            }
            if (promised >= 0 && received != promised) {
                throw new IOException(address + ": " + received + " bytes received of " + promised + " promised; nothing kept");
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equalsIgnoreCase(expected.md5())) {
                throw new IOException(address + ": MD5 " + actual + "; expected " + expected.md5()
                        + " (corrupt download, nothing kept)");
            }
            AtomicFiles.replace(part, target);
        } finally {
            connection.disconnect();
            Files.deleteIfExists(part);
        }
    }

    /** {@code in.read(buffer)}, its failure reworded to name the address and the bytes received so far. */
    private static int read(InputStream in, byte[] buffer, URI address, long received) throws IOException {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new IOException(address + ": download broke off after " + received + " bytes (" + e.getMessage()
                    + "); nothing kept", e);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }
}
