package io.github.dl4jspectral.examples.cli;

import io.github.dl4jspectral.zoo.ModelSpec;
import io.github.dl4jspectral.report.Charts;
import io.github.dl4jspectral.report.Csv;
import io.github.dl4jspectral.examples.ui.TrainingUi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code compare}: trains a DenseLayer network and spectral networks on the same data, seed and data order,
 * then prints test accuracy, trainable and total parameters and seconds per epoch; writes
 * {@code compare.csv} and {@code compare.png} (accuracy against trainable parameters).
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a DenseLayer network and spectral networks on the same data and seed; print one table "
                + "(test accuracy, trainable and total parameters, seconds per epoch) and write compare.csv and "
                + "compare.png (accuracy against trainable parameters).")
final class CompareCommand implements Callable<Integer> {

    /** The default line-up: the conventional network, the three presets and one block of each type. */
    static final String DEFAULT_MODELS = "dense,eigenvalues-out,eigenvalues,full,low-rank-32,sparse-0.1,sparse-dense-0.1";

    @Option(names = "--models", split = ",", paramLabel = "MODEL", defaultValue = DEFAULT_MODELS,
            description = "Models to train, comma-separated: dense, eigenvalues-out, eigenvalues, full, svd, qr (the "
                    + "Phys. Rev. E eigenvector blocks), low-rank-R, sparse-D (spectral on a random support of density D), "
                    + "sparse-dense-D (conventional, same support), magnitude-F (spectral QR keeping the largest |W|, a "
                    + "fraction F of zeros), magnitude-dense-F (conventional, same rule). Default: ${DEFAULT-VALUE}.")
    List<String> models;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-output",
            description = "Directory for compare.csv and compare.png (default: ${DEFAULT-VALUE}; created if missing).")
    String out;

    @Mixin
    DataOptions data;

    @Mixin
    UiOptions uiOptions;

    @Override
    public Integer call() throws Exception {
        List<ModelSpec> specs = models.stream().map(DataOptions::model).toList();
        Path directory = OutputPaths.directory("--out", out, "compare.csv", "compare.png");
        data.validate();
        uiOptions.validate();
        DataOptions.Data loaded = data.load();
        TrainingUi ui = uiOptions.startIfAsked();
        List<TrainingRun.Trained> results = new ArrayList<>();
        for (ModelSpec spec : specs) {
            results.add(TrainingRun.run(spec, null, data, loaded, ui));
        }
        System.out.println();
        System.out.printf("%-18s %9s %14s %12s %12s %10s%n", "model", "Adam lr", "test accuracy", "trainable", "total",
                "s/epoch");
        List<List<?>> rows = new ArrayList<>();
        for (TrainingRun.Trained r : results) {
            System.out.printf("%-18s %9.0e %14.4f %,12d %,12d %10.1f%n", r.spec().name(), r.learningRate(),
                    r.testAccuracy(), r.counts().trainable(), r.counts().total(), r.secondsPerEpoch());
            rows.add(List.of(r.spec().name(), r.learningRate(), r.testAccuracy(), r.counts().trainable(),
                    r.counts().total(), r.secondsPerEpoch()));
        }
        Path csv = directory.resolve("compare.csv");
        Path png = directory.resolve("compare.png");
        Csv.write(csv, List.of("model", "learning_rate", "test_accuracy", "trainable_parameters", "total_parameters",
                "seconds_per_epoch"), rows);
        Charts.write(png, "Fashion-MNIST: test accuracy against trainable parameters", "trainable parameters (log)",
                "test accuracy", List.of(new Charts.Series("784-" + data.hidden + "-10, " + data.epochs + " epoch(s)",
                        results.stream().mapToDouble(r -> r.counts().trainable()).toArray(),
                        results.stream().mapToDouble(TrainingRun.Trained::testAccuracy).toArray(), null,
                        results.stream().map(r -> r.spec().name()).toList())), true);
        System.out.println("\nWrote " + csv + " and " + png);
        UiOptions.serveUntilInterrupted(ui);
        return 0;
    }
}
