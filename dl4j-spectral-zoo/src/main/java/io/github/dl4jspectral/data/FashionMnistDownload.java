package io.github.dl4jspectral.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Downloads one file into a directory, keeping it only if it arrived whole and its MD5 matches:
 * the bytes go to a temporary ".part" file that is moved into place after both checks, and deleted
 * otherwise, so a corrupt or truncated download is never taken for the dataset later.
 */
final class FashionMnistDownload {

    /** Connect and read timeout: a server that stalls this long mid-file fails the download. */
    private static final int TIMEOUT_MILLIS = 30_000;

    /**
     * Fetches {@code base + file} into {@code directory/file}.
     *
     * @throws IOException naming the address if the server fails or stalls, the body is shorter than its
     *                     Content-Length, or the MD5 differs from {@code md5}; nothing is kept then
     */
    Path fetch(URI base, String file, String md5, Path directory) throws IOException {
        URI address = base.resolve(file);
        Files.createDirectories(directory);
        Path part = Files.createTempFile(directory, file, ".part");
        HttpURLConnection connection = (HttpURLConnection) address.toURL().openConnection();
        try {
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            int status = connection.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException(address + ": HTTP status " + status + "; expected 200");
            }
            long promised = connection.getContentLengthLong();
            MessageDigest digest = md5();
            long received = 0;
            try (InputStream in = connection.getInputStream(); OutputStream out = Files.newOutputStream(part)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; received += n) {
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new IOException(address + ": download broke off after " + received + " bytes (" + e.getMessage()
                        + "); nothing kept", e);
            }
            if (promised >= 0 && received != promised) {
                throw new IOException(address + ": " + received + " bytes received of " + promised + " promised; nothing kept");
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equalsIgnoreCase(md5)) {
                throw new IOException(address + ": MD5 " + actual + "; expected " + md5 + " (corrupt download, nothing kept)");
            }
            return Files.move(part, directory.resolve(file), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            connection.disconnect();
            Files.deleteIfExists(part);
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
