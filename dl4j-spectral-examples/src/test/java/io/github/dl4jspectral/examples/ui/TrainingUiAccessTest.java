package io.github.dl4jspectral.examples.ui;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who reaches the training UI and what it takes, over plain HTTP: by default only this machine (a non-loopback
 * address of the machine is refused), no uploads, a prompt 404 for path traversal, and no temporary folder left
 * after it stops.
 */
class TrainingUiAccessTest {

    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

    /** An up, non-loopback IPv4 address of this machine, if it has one. */
    static Optional<InetAddress> otherAddressOfThisMachine() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return Optional.of(a);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Status code, body and time taken of one raw HTTP/1.1 request, the path sent exactly as given; gives up after
     * 30 s without an answer (a loaded machine may take seconds over a page; a bad asset path must take < 1 s).
     */
    private record Reply(int status, String body, long millis) {
    }

    private static Reply request(InetAddress host, int port, String method, String path, String headers, byte[] body)
            throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host.getHostAddress() + ":" + port
                    + "\r\nConnection: close\r\n" + headers + (body.length > 0 ? "Content-Length: " + body.length + "\r\n" : "")
                    + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String[] statusLine = reply.substring(0, Math.max(0, reply.indexOf("\r\n"))).split(" ");
            int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
            int bodyStart = reply.indexOf("\r\n\r\n");
            return new Reply(status, bodyStart < 0 ? "" : reply.substring(bodyStart + 4), (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static Reply get(int port, String path) throws IOException {
        return request(InetAddress.getLoopbackAddress(), port, "GET", path, "", new byte[0]);
    }

    private static Reply upload(InetAddress host, int port, String path) throws IOException {
        String boundary = "b0undary";
        byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"coords.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + "1,2,x\n".repeat(2000) + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        return request(host, port, "POST", path, "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n", body);
    }

    /** DL4J's upload folders and Vert.x's file caches in the temporary directory. */
    private static Set<Path> uploadFolders() throws IOException {
        Set<Path> folders = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(TMP, "DL4JUI_*")) {
            entries.forEach(folders::add);
        }
        if (Files.isDirectory(TMP.resolve("vertx-cache"))) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(TMP.resolve("vertx-cache"))) {
                entries.forEach(folders::add);
            }
        }
        return folders;
    }

    private static long filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void byDefaultOnlyThisMachineReadsPagesUploadsAreRefusedTraversalIsAPrompt404AndNothingIsLeft() throws Exception {
        Set<Path> before = uploadFolders();
        Path folder;
        try (TrainingUi ui = TrainingUi.start(0)) {
            int port = ui.port();
            Set<Path> made = uploadFolders();
            made.removeAll(before);
            made.removeIf(f -> !f.getFileName().toString().startsWith("DL4JUI_"));
            assertEquals(1, made.size(), "DL4J's upload folder of this server: " + made);
            folder = made.iterator().next();
            assertTrue(ui.overviewAddress().startsWith("http://127.0.0.1:" + port + "/"), ui.overviewAddress());

            Optional<InetAddress> other = otherAddressOfThisMachine();
            if (other.isPresent()) {
                assertThrows(ConnectException.class, () -> request(other.get(), port, "GET", "/train/overview", "",
                        new byte[0]), "refused on " + other.get().getHostAddress());
            } else {
                System.err.println("non-loopback check skipped: this machine has no up, non-loopback IPv4 address");
            }

            Reply overview = get(port, "/train/overview");
            assertEquals(200, overview.status());
            assertTrue(overview.body().contains("<html"), overview.body());
            assertEquals(200, get(port, "/spectral").status());
            Reply css = get(port, "/assets/css/style.css");
            assertEquals(200, css.status());
            assertTrue(css.body().contains(".chart-header:has(#paramHistButtonsDiv)"), "DL4J's asset and the patch");
            assertEquals(200, get(port, "/assets/webjars/jquery/2.2.0/jquery.min.js").status(), "a webjar asset");

            for (String path : new String[]{"/tsne/upload", "/tsne/post/session", "/remoteReceive", "/train/overview"}) {
                Reply refused = upload(InetAddress.getLoopbackAddress(), port, path);
                assertEquals(403, refused.status(), path + ": " + refused.body());
            }
            assertEquals(403, request(InetAddress.getLoopbackAddress(), port, "PUT", "/tsne/upload", "", new byte[]{1}).status());
            assertEquals(0, filesIn(folder), "nothing uploaded into " + folder);

            for (String path : new String[]{"/assets/..%2f..%2fetc/passwd", "/assets/../../../../etc/passwd",
                    "/assets/webjars/../../../../../etc/passwd", "/assets/%2e%2e/%2e%2e/etc/passwd",
                    "/assets/css/../../../../etc/passwd", "/assets/js/no-such-file.js", "/assets/css", "/assets/"}) {
                Reply traversal = get(port, path);
                assertEquals(404, traversal.status(), path + ": " + traversal.body());
                assertTrue(traversal.millis() < 1000, path + " answered in " + traversal.millis() + " ms");
                assertFalse(traversal.body().contains("root:"), path);
            }
        }
        assertFalse(Files.exists(folder), folder + " removed when the server stopped");
        Set<Path> left = uploadFolders();
        left.removeAll(before);
        assertEquals(Set.of(), left, "no DL4JUI_ folder or Vert.x file cache left behind");
    }

    @Test
    void anotherAddressAndUploadsWhenAskedFor() throws Exception {
        Optional<InetAddress> other = otherAddressOfThisMachine();
        InetAddress host = other.orElse(InetAddress.getLoopbackAddress());
        if (other.isEmpty()) {
            System.err.println("listening elsewhere not checked: this machine has no up, non-loopback IPv4 address");
        }
        Set<Path> before = uploadFolders();
        Path folder;
        try (TrainingUi ui = TrainingUi.builder().port(0).host(host.getHostAddress()).allowUploads(true).start()) {
            Set<Path> made = uploadFolders();
            made.removeAll(before);
            made.removeIf(f -> !f.getFileName().toString().startsWith("DL4JUI_"));
            folder = made.iterator().next();
            assertEquals(200, request(host, ui.port(), "GET", "/train/overview", "", new byte[0]).status());
            if (other.isPresent()) {
                assertThrows(ConnectException.class, () -> get(ui.port(), "/train/overview"),
                        "only the address asked for: 127.0.0.1 refused");
            }
            Reply uploaded = upload(host, ui.port(), "/tsne/upload");
            assertEquals(200, uploaded.status(), uploaded.body());
            assertTrue(filesIn(folder) > 0, "the upload is in " + folder);
        }
        assertFalse(Files.exists(folder), folder + " and the upload in it removed when the server stopped");
    }
}
