package io.github.dl4jspectral.examples.cli;

import io.github.dl4jspectral.data.FashionMnist.Split;
import io.github.dl4jspectral.data.FashionMnistFiles;
import io.github.dl4jspectral.data.FashionMnistIterator;
import io.github.dl4jspectral.data.FashionMnistLocator;
import io.github.dl4jspectral.data.LabeledImages;
import io.github.dl4jspectral.zoo.ModelSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The data and training options every subcommand shares. */
final class DataOptions {

    @Option(names = "--full", description = "Use the full Fashion-MNIST (60,000 + 10,000 images) from the Debian package "
            + "dataset-fashion-mnist, DL4J's resources directory or a verified download, instead of the bundled "
            + "10,000 + 2,000 subset.")
    boolean full;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory holding the four Fashion-MNIST IDX files "
            + "(raw or .gz); implies --full.")
    Path dataDir;

    @Option(names = "--train-examples", paramLabel = "N", description = "Use only the first N training images.")
    Integer trainExamples;

    @Option(names = "--test-examples", paramLabel = "N", description = "Use only the first N test images.")
    Integer testExamples;

    @Option(names = "--epochs", defaultValue = "3", description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "Examples per minibatch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the initialization and of the data order "
            + "(default: ${DEFAULT-VALUE}); every model sees the same order.")
    long seed;

    @Option(names = "--hidden", defaultValue = "500", description = "Hidden units of the 784-H-10 networks (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--activation", defaultValue = "TANH", description = "Hidden activation, a DL4J Activation name "
            + "(default: ${DEFAULT-VALUE}).")
    org.nd4j.linalg.activations.Activation activation;

    /** The training and test images and where they came from. */
    record Data(LabeledImages train, LabeledImages test, FashionMnistFiles files) {
    }

    /** Checks every option that can be checked before the data is read. */
    void validate() {
        require(epochs >= 1, "--epochs", epochs, ">= 1");
        require(batchSize >= 1, "--batch-size", batchSize, ">= 1");
        require(hidden >= 1, "--hidden", hidden, ">= 1");
        require(trainExamples == null || trainExamples >= 1, "--train-examples", trainExamples, ">= 1");
        require(testExamples == null || testExamples >= 1, "--test-examples", testExamples, ">= 1");
    }

    /** The model named {@code name} (an {@code option} value), or a bad-argument error listing the accepted names. */
    static ModelSpec model(String name) {
        try {
            return ModelSpec.parse(name);
        } catch (IllegalArgumentException e) {
            throw new BadArgumentException(e.getMessage());
        }
    }

    /**
     * Checks the options, reads the data and prints one line saying what was read; a split without images is an
     * error here, before anything trains.
     */
    Data load() {
        validate();
        FashionMnistLocator.Builder locator = FashionMnistLocator.builder();
        if (dataDir != null) {
            locator.directory(dataDir);
        } else if (full) {
            locator.fullDatasetOnly();
        } else {
            locator.bundledSubsetOnly();
        }
        FashionMnistFiles files = locator.build().locate();
        Data data = new Data(limit(files.load(Split.TRAIN), trainExamples, "--train-examples"),
                limit(files.load(Split.TEST), testExamples, "--test-examples"), files);
        for (Split split : Split.values()) {
            LabeledImages images = split == Split.TRAIN ? data.train() : data.test();
            if (images.size() == 0) {
                throw new IllegalStateException("Fashion-MNIST " + split.name().toLowerCase(java.util.Locale.ROOT)
                        + " split in " + files.location() + ": 0 images; expected at least 1");
            }
        }
        System.out.println(describe(data));
        return data;
    }

    private static LabeledImages limit(LabeledImages data, Integer n, String option) {
        if (n == null) {
            return data;
        }
        require(n >= 1 && n <= data.size(), option, n, "1.." + data.size());
        return data.range(0, n);
    }

    /** A bad-argument error "OPTION VALUE; expected EXPECTED" unless {@code ok}. */
    static void require(boolean ok, String option, Object value, String expected) {
        if (!ok) {
            throw new BadArgumentException(option + " " + value + "; expected " + expected);
        }
    }

    FashionMnistIterator training(Data data) {
        return FashionMnistIterator.builder(data.train()).batchSize(batchSize).shuffle(seed).build();
    }

    FashionMnistIterator test(Data data) {
        return FashionMnistIterator.builder(data.test()).batchSize(1000).build();
    }

    int batchesPerEpoch(Data data) {
        return (data.train().size() + batchSize - 1) / batchSize;
    }

    private String describe(Data data) {
        return String.format(java.util.Locale.ROOT, "Fashion-MNIST, %s (%s): %,d training / %,d test images; 784-%d-10 %s, batch %d, %d epoch(s), seed %d",
                data.files().origin(), data.files().location(), data.train().size(), data.test().size(), hidden,
                activation, batchSize, epochs, seed);
    }
}
