package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.data.FashionMnist.Split;
import io.github.dl4jspectral.data.FashionMnistFiles;
import io.github.dl4jspectral.data.FashionMnistLocator;
import io.github.dl4jspectral.data.LabeledImages;
import io.github.dl4jspectral.data.MnistLocator;

import java.nio.file.Path;

/**
 * The data of the claims harness. The learning-rate sweep trains on {@code sweepTraining} and scores on
 * {@code validation}, both carved from the training split (validation = its last examples), never from
 * the test split; the final networks train on all of {@code training} and are scored on {@code test}.
 *
 * @param description   where the data came from and how it was split, for the printed report
 * @param sweepTraining training examples of the sweep (the first part of the training split)
 * @param validation    validation examples of the sweep (the last part of the training split)
 * @param training      the whole training split
 * @param test          the test split
 */
public record Splits(String description, LabeledImages sweepTraining, LabeledImages validation,
                     LabeledImages training, LabeledImages test) {

    /** Validation examples carved from the end of the full 60,000-image training split. */
    public static final int FULL_VALIDATION = 10_000;
    /** Validation examples carved from the end of the bundled 10,000-image training subset. */
    public static final int SUBSET_VALIDATION = 2_000;

    /**
     * The full Fashion-MNIST (60,000 + 10,000), from {@code directory} or, if null, from the Debian
     * package's directory or DL4J's resources directory; never downloaded, never the subset.
     *
     * @throws IllegalStateException saying how to install the data if it is missing
     */
    public static Splits full(Path directory) {
        return full(Dataset.FASHION, directory);
    }

    /**
     * The full {@code dataset} (60,000 + 10,000) from {@code directory} or, if null, from where its locator looks
     * ({@link FashionMnistLocator} without download, or {@link MnistLocator}); never the subset.
     *
     * @throws IllegalStateException saying how to get the data if it is missing
     */
    public static Splits full(Dataset dataset, Path directory) {
        if (dataset == Dataset.MNIST) {
            FashionMnistFiles files;
            try {
                files = MnistLocator.builder().directory(directory).build().locate();
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new IllegalStateException("The claims harness needs MNIST: " + e.getMessage(), e);
            }
            return split("full MNIST from " + files.location(), files, FULL_VALIDATION);
        }
        FashionMnistFiles files;
        try {
            files = FashionMnistLocator.builder().directory(directory).fullDatasetOnly().noDownload().build().locate();
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IllegalStateException("The claims harness needs the full Fashion-MNIST: " + e.getMessage()
                    + ". Install it with `apt-get install dataset-fashion-mnist` (files in "
                    + FashionMnistLocator.SYSTEM_DIRECTORY + "), or name the directory of the four IDX files with "
                    + "--full-data-dir; --quick runs on the bundled subset instead", e);
        }
        return split("full Fashion-MNIST from " + files.location(), files, FULL_VALIDATION);
    }

    /** The 10,000 + 2,000 subset bundled with dl4j-spectral-experiments (quick mode). */
    public static Splits bundledSubset() {
        FashionMnistFiles files = FashionMnistLocator.builder().bundledSubsetOnly().build().locate();
        return split("bundled Fashion-MNIST subset", files, SUBSET_VALIDATION);
    }

    private static Splits split(String origin, FashionMnistFiles files, int validation) {
        LabeledImages train = files.load(Split.TRAIN);
        LabeledImages test = files.load(Split.TEST);
        int cut = train.size() - validation;
        return new Splits(String.format("%s: sweep on training examples 0..%d, validation %d..%d; final training on "
                        + "all %d, test %d", origin, cut - 1, cut, train.size() - 1, train.size(), test.size()),
                train.range(0, cut), train.range(cut, train.size()), train, test);
    }
}
