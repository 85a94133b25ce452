package io.github.dl4jspectral.examples.cli;

import io.github.dl4jspectral.count.SpectralSummary;
import io.github.dl4jspectral.report.AtomicFiles;
import io.github.dl4jspectral.zoo.ModelSpec;
import io.github.dl4jspectral.examples.ui.TrainingUi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code train}: trains one model, prints its figures and layer summary, and saves it (with updater state). */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train one model, print its test accuracy and layer summary, and save it (with its updater state) "
                + "as a DL4J model zip or a compact one (--format).")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "eigenvalues", paramLabel = "MODEL",
            description = "dense, eigenvalues-out, eigenvalues, full, svd, qr, low-rank-R, sparse-D, sparse-dense-D, "
                    + "magnitude-F or magnitude-dense-F (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--learning-rate", paramLabel = "RATE",
            description = "Adam learning rate (default: 1e-1 for the eigenvalue-only presets, else 1e-3).")
    Double learningRate;

    @Option(names = "--save", paramLabel = "FILE",
            description = "Where to save the trained model (default: demo-output/MODEL.zip); checked before anything trains.")
    String save;

    @Option(names = "--format", defaultValue = "dl4j", paramLabel = "FORMAT",
            description = "File format of --save: dl4j (ModelSerializer, loadable by plain DL4J) or compact (frozen random "
                    + "groups such as the EIGENVALUES presets' phi stored as their seed and checksum: kilobytes instead of "
                    + "megabytes; read with CompactModelFile). `prune` and `export` read both (default: ${DEFAULT-VALUE}).")
    SavedModels.Format format;

    @Mixin
    DataOptions data;

    @Mixin
    UiOptions uiOptions;

    @Override
    public Integer call() throws Exception {
        ModelSpec spec = DataOptions.model(model);
        DataOptions.require(learningRate == null || learningRate > 0, "--learning-rate", learningRate, "> 0");
        Path file = OutputPaths.file("--save", save != null ? save : Path.of("demo-output", spec.name() + ".zip").toString());
        data.validate();
        uiOptions.validate();
        DataOptions.Data loaded = data.load();
        TrainingUi ui = uiOptions.startIfAsked();
        TrainingRun.Trained trained = TrainingRun.run(spec, learningRate, data, loaded, ui);
        AtomicFiles.write(file, out -> format.write(trained.network(), out));
        System.out.printf("%n%s: test accuracy %.4f, %,d trainable of %,d parameters, %.1f s per epoch%n",
                spec.name(), trained.testAccuracy(), trained.counts().trainable(), trained.counts().total(),
                trained.secondsPerEpoch());
        System.out.print(SpectralSummary.of(trained.network()));
        System.out.println("Saved " + file + " (" + format.name().toLowerCase(java.util.Locale.ROOT) + " format, "
                + java.nio.file.Files.size(file) + " bytes)");
        UiOptions.serveUntilInterrupted(ui);
        return 0;
    }
}
