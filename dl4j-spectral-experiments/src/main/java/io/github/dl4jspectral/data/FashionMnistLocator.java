package io.github.dl4jspectral.data;

import io.github.dl4jspectral.data.FashionMnist.Split;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the Fashion-MNIST IDX files (each raw or with a ".gz" suffix), looking in this order:
 * <ol>
 *   <li>the directory the user named ({@link Builder#directory}); if it lacks a file, that is an error;</li>
 *   <li>{@value #SYSTEM_DIRECTORY} (Debian: {@code apt-get install dataset-fashion-mnist});</li>
 *   <li>DL4J's resources directory, {@code ~/.deeplearning4j/data/fashion-mnist} by default;</li>
 *   <li>a download from {@link #CANONICAL_ADDRESS} into that directory (on by default) of the files it lacks, one
 *       process at a time (a lock file, ".download.lock", stays there). Each file is written to a ".part" file
 *       beside it, stopped once it exceeds its {@link #CANONICAL_SIZES} entry by {@link #DOWNLOAD_SIZE_MARGIN}
 *       bytes, checked against the MD5 Zalando publishes and only then moved into place atomically; ".part" files
 *       left by a killed download are deleted first. A failed download keeps nothing of the failing file, touches
 *       no file already there, and moves on;</li>
 *   <li>the subset bundled in the dl4j-spectral-experiments jar (classpath {@value #BUNDLED_RESOURCES}),
 *       10,000 training and 2,000 test examples.</li>
 * </ol>
 * {@link Builder#bundledSubsetOnly()} skips straight to the subset (fast, identical everywhere);
 * {@link Builder#fullDatasetOnly()} refuses it, so a missing full dataset is an error.
 */
public final class FashionMnistLocator {

    /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
    public static final String SYSTEM_DIRECTORY = "/usr/share/datasets/fashion-mnist";
    /**
     * Zalando's own bucket of the gzipped files, over https: its REST endpoint (the website endpoint
     * fashion-mnist.s3-website.eu-central-1.amazonaws.com that Zalando's README links to speaks only http).
     */
    public static final URI CANONICAL_ADDRESS = URI.create("https://fashion-mnist.s3.eu-central-1.amazonaws.com/");
    /** MD5 of each gzipped file at {@link #CANONICAL_ADDRESS}, as published by Zalando. */
    public static final Map<String, String> CANONICAL_MD5 = Map.of(
            "train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
            "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
            "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310");
    /**
     * Size in bytes of each original gzipped file at {@link #CANONICAL_ADDRESS} (Zalando's README rounds them to
     * 26 MBytes, 29 KBytes, 4.3 MBytes and 5.1 KBytes). The copies in Debian's dataset-fashion-mnist, read from
     * {@value #SYSTEM_DIRECTORY} and never downloaded, were repacked without the file name in the gzip header:
     * 23 or 24 bytes shorter, with other MD5s.
     */
    public static final Map<String, Long> CANONICAL_SIZES = Map.of(
            "train-images-idx3-ubyte.gz", 26_421_880L,
            "train-labels-idx1-ubyte.gz", 29_515L,
            "t10k-images-idx3-ubyte.gz", 4_422_102L,
            "t10k-labels-idx1-ubyte.gz", 5_148L);
    /**
     * How far a download may exceed the file's {@link #CANONICAL_SIZES} entry (from any address) before it is
     * stopped and nothing kept: the cap against a server that sends an endless body. The MD5, not this cap, decides
     * whether a file that fits is the right one.
     */
    public static final long DOWNLOAD_SIZE_MARGIN = 64 * 1024;
    /** Classpath folder of the bundled subset (inside dl4j-spectral-experiments). */
    public static final String BUNDLED_RESOURCES = "io/github/dl4jspectral/data/fashion-mnist-subset/";

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnistLocator.class);

    private final Path directory;
    private final Path systemDirectory;
    private final Path resourcesDirectory;
    private final URI downloadAddress;
    private final Map<String, String> md5;
    private final boolean fullDataset;
    private final boolean bundledSubset;
    private final ClassLoader classLoader;

    private FashionMnistLocator(Builder b) {
        directory = b.directory;
        systemDirectory = b.systemDirectory;
        resourcesDirectory = b.resourcesDirectory;
        downloadAddress = b.downloadAddress;
        md5 = b.md5;
        fullDataset = b.fullDataset;
        bundledSubset = b.bundledSubset;
        classLoader = b.classLoader;
    }

    /** A locator with every source on, in the documented order. */
    public static FashionMnistLocator defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The first source that has all four files.
     *
     * @throws IllegalArgumentException if the user's directory lacks a file
     * @throws IllegalStateException    if no source has the data; the message says what each source lacked
     */
    public FashionMnistFiles locate() {
        List<String> tried = new ArrayList<>();
        if (fullDataset) {
            if (directory != null) {
                FashionMnistFiles files = inDirectory(DataOrigin.USER_DIRECTORY, directory, tried);
                if (files == null) {
                    throw new IllegalArgumentException("Fashion-MNIST directory " + directory + ": " + tried.get(0)
                            + "; expected train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and"
                            + " t10k-labels-idx1-ubyte, each raw or with .gz");
                }
                return files;
            }
            FashionMnistFiles files = inDirectory(DataOrigin.SYSTEM_DIRECTORY, systemDirectory, tried);
            if (files == null) {
                files = inDirectory(DataOrigin.DL4J_RESOURCES, resourcesDirectory(), tried);
            }
            if (files == null && downloadAddress != null) {
                files = download(tried);
            }
            if (files != null) {
                return files;
            }
        }
        if (bundledSubset) {
            FashionMnistFiles files = bundled(tried);
            if (files != null) {
                return files;
            }
        }
        throw new IllegalStateException("Fashion-MNIST not found: " + String.join("; ", tried)
                + ". Install the Debian package dataset-fashion-mnist, name a directory holding the IDX files,"
                + " allow the download, or put dl4j-spectral-experiments on the classpath for its subset");
    }

    private Path resourcesDirectory() {
        return resourcesDirectory != null ? resourcesDirectory
                : DL4JResources.getDirectory(ResourceType.DATASET, "fashion-mnist").toPath();
    }

    private static FashionMnistFiles inDirectory(DataOrigin origin, Path dir, List<String> tried) {
        Map<Split, IdxSource> images = new EnumMap<>(Split.class);
        Map<Split, IdxSource> labels = new EnumMap<>(Split.class);
        List<String> missing = new ArrayList<>();
        for (Split split : Split.values()) {
            find(dir, split.imagesFile(), missing).ifPresent(p -> images.put(split, IdxSource.of(p)));
            find(dir, split.labelsFile(), missing).ifPresent(p -> labels.put(split, IdxSource.of(p)));
        }
        if (!missing.isEmpty()) {
            tried.add(dir + " lacks " + String.join(", ", missing));
            return null;
        }
        return new FashionMnistFiles(origin, dir.toString(), images, labels);
    }

    private static Optional<Path> find(Path dir, String name, List<String> missing) {
        for (Path candidate : List.of(dir.resolve(name + ".gz"), dir.resolve(name))) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        missing.add(name + "[.gz]");
        return Optional.empty();
    }

    private FashionMnistFiles download(List<String> tried) {
        Path target = resourcesDirectory();
        Map<String, FashionMnistDownload.Expected> files = new LinkedHashMap<>();
        for (Split split : Split.values()) {
            for (String file : List.of(split.imagesFile() + ".gz", split.labelsFile() + ".gz")) {
                long size = CANONICAL_SIZES.get(file);
                files.put(file, new FashionMnistDownload.Expected(md5.get(file), size, size + DOWNLOAD_SIZE_MARGIN));
            }
        }
        try {
            FashionMnistDownload.fetchMissing(downloadAddress, files, target);
        } catch (IOException e) {
            LOG.warn("Fashion-MNIST download failed: {}", e.getMessage());
            tried.add("download failed: " + e.getMessage());
            return null;
        }
        return inDirectory(DataOrigin.DOWNLOAD, target, tried);
    }

    private FashionMnistFiles bundled(List<String> tried) {
        Map<Split, IdxSource> images = new EnumMap<>(Split.class);
        Map<Split, IdxSource> labels = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            URL imageUrl = classLoader.getResource(BUNDLED_RESOURCES + split.imagesFile() + ".gz");
            URL labelUrl = classLoader.getResource(BUNDLED_RESOURCES + split.labelsFile() + ".gz");
            if (imageUrl == null || labelUrl == null) {
                tried.add("no bundled subset on the classpath (" + BUNDLED_RESOURCES + ")");
                return null;
            }
            images.put(split, IdxSource.of(imageUrl));
            labels.put(split, IdxSource.of(labelUrl));
        }
        return new FashionMnistFiles(DataOrigin.BUNDLED_SUBSET, "classpath:" + BUNDLED_RESOURCES, images, labels);
    }

    /** Options of a {@link FashionMnistLocator}; every one has a default. */
    public static final class Builder {
        private Path directory;
        private Path systemDirectory = Path.of(SYSTEM_DIRECTORY);
        private Path resourcesDirectory;
        private URI downloadAddress = CANONICAL_ADDRESS;
        private Map<String, String> md5 = CANONICAL_MD5;
        private boolean fullDataset = true;
        private boolean bundledSubset = true;
        private ClassLoader classLoader = FashionMnistLocator.class.getClassLoader();

        private Builder() {
        }

        /** Use this directory and nothing else (null: look in the default places). */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** Where the system package installs the files; default {@value FashionMnistLocator#SYSTEM_DIRECTORY}. */
        public Builder systemDirectory(Path systemDirectory) {
            this.systemDirectory = Objects.requireNonNull(systemDirectory, "systemDirectory");
            return this;
        }

        /** Where downloads are kept and looked for; default DL4J's resources directory + "fashion-mnist". */
        public Builder resourcesDirectory(Path resourcesDirectory) {
            this.resourcesDirectory = Objects.requireNonNull(resourcesDirectory, "resourcesDirectory");
            return this;
        }

        /** Never download. */
        public Builder noDownload() {
            this.downloadAddress = null;
            return this;
        }

        /**
         * Download from {@code address} (a folder URL, ending in '/'; http or https) instead of
         * {@link #CANONICAL_ADDRESS}, checking each gzipped file against {@code md5ByFile} (file name to hex MD5, all
         * four files). Each download is still capped at the file's {@link #CANONICAL_SIZES} entry plus
         * {@link #DOWNLOAD_SIZE_MARGIN} bytes.
         */
        public Builder downloadFrom(URI address, Map<String, String> md5ByFile) {
            if (!address.toString().endsWith("/")) {
                throw new IllegalArgumentException("FashionMnistLocator download address " + address
                        + ": expected a folder URL ending in '/'");
            }
            for (String file : CANONICAL_MD5.keySet()) {
                if (!md5ByFile.containsKey(file)) {
                    throw new IllegalArgumentException("FashionMnistLocator md5ByFile: no checksum for " + file
                            + "; expected all of " + CANONICAL_MD5.keySet());
                }
            }
            this.downloadAddress = address;
            this.md5 = Map.copyOf(md5ByFile);
            return this;
        }

        /** Only the bundled subset (10,000 + 2,000 examples). */
        public Builder bundledSubsetOnly() {
            this.fullDataset = false;
            this.bundledSubset = true;
            return this;
        }

        /** Only the full dataset: never fall back to the bundled subset. */
        public Builder fullDatasetOnly() {
            this.fullDataset = true;
            this.bundledSubset = false;
            return this;
        }

        /** The class loader that holds the bundled subset; default this library's. */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        public FashionMnistLocator build() {
            return new FashionMnistLocator(this);
        }
    }
}
