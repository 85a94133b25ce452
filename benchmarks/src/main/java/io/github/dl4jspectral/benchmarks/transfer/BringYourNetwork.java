package io.github.dl4jspectral.benchmarks.transfer;

import io.github.dl4jspectral.benchmarks.claims.PapersClaims;
import io.github.dl4jspectral.benchmarks.claims.ResultLog;
import io.github.dl4jspectral.data.FashionMnist;
import io.github.dl4jspectral.data.FashionMnistFiles;
import io.github.dl4jspectral.data.MnistLocator;
import io.github.dl4jspectral.report.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Spectral methods for networks trained without this library, on MNIST (offline, {@link MnistLocator}): the transfer
 * experiment ({@link EigenvalueTransfer}: digits 0-4 to digits 5-9) and the pruning experiment
 * ({@link EigenvaluePruning}: the digits 0-4 networks pruned by learned eigenvalues against magnitude, connectivity
 * and random node pruning). Both share one source network per seed. Every point goes to the resumable result log
 * {@code <out>/transfer.csv} the moment it is measured (a rerun skips what is there), and the markdown summary of the
 * whole log is written to {@code <out>/transfer.md}. Times per epoch are wall-clock on whatever machine runs it.
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests -Ptransfer -Dtransfer.args="--seeds 3"
 * </pre>
 */
@Command(name = "BringYourNetwork", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Eigenvalue fine-tuning and eigenvalue pruning of conventional dense networks on MNIST.")
public final class BringYourNetwork implements Callable<Integer> {

    @Option(names = "--experiments", split = ",", description = "transfer, pruning (default: both).")
    List<String> experiments = List.of("transfer", "pruning");

    @Option(names = "--out", description = "Output directory (default benchmarks/results/transfer).")
    Path out = Path.of("benchmarks/results/transfer");

    @Option(names = "--seeds", description = "Seeds 1..n (default 3).")
    int seeds = 3;

    @Option(names = "--hidden", description = "Hidden width h of the 784-h-h-5 networks (default 256).")
    int hidden = 256;

    @Option(names = "--source-epochs", description = "Epochs of the source networks on digits 0-4 (default 3).")
    int sourceEpochs = 3;

    @Option(names = "--batch", description = "Minibatch size (default 100).")
    int batch = 100;

    @Option(names = "--rates", split = ",", description = "Adam rates swept per transfer method (default 1e-3,3e-3,1e-2,3e-2,1e-1).")
    List<Double> rates = List.of(1e-3, 3e-3, 1e-2, 3e-2, 1e-1);

    @Option(names = "--epochs", description = "Fine-tuning epochs of every transfer method (default 5).")
    int transferEpochs = 5;

    @Option(names = "--target-examples", split = ",", description = "Target training set sizes (digits 5-9; 0 = all "
            + "but the validation split; default 500,5000,0).")
    List<Integer> targetExamples = List.of(500, 5000, 0);

    @Option(names = "--fractions", split = ",", description = "Fractions of hidden nodes pruned (default 0.1..0.9).")
    List<Double> fractions = List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9);

    @Option(names = "--tune-epochs", description = "Eigenvalue training epochs before pruning (default 1).")
    int tuneEpochs = 1;

    @Option(names = "--tune-rate", description = "Adam rate of the eigenvalue training before pruning (default 1e-3).")
    double tuneRate = 1e-3;

    @Option(names = "--retrain-epochs", description = "Retraining epochs after pruning (default 1; baselines get "
            + "--tune-epochs more).")
    int retrainEpochs = 1;

    @Option(names = "--prune-examples", description = "Training examples of the pruning experiment's eigenvalue "
            + "training and retraining (digits 0-4; 0 = all; default 10000).")
    int pruneExamples = 10000;

    @Option(names = "--summarize", description = "Only write the summary of the result log already in --out.")
    boolean summarizeOnly;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BringYourNetwork()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (String e : experiments) {
            if (!List.of("transfer", "pruning").contains(e)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--experiments: " + e
                        + " is unknown; expected transfer or pruning");
            }
        }
        TransferSettings settings = new TransferSettings(out, seeds, hidden, sourceEpochs, batch, rates, transferEpochs,
                targetExamples, fractions, tuneEpochs, tuneRate, retrainEpochs, pruneExamples, PapersClaims.commit());
        Files.createDirectories(out);
        if (summarizeOnly) {
            writeSummary(ResultLog.open(out.resolve("transfer.csv")));
            return 0;
        }
        FashionMnistFiles files = MnistLocator.builder().build().locate();
        var train = files.load(FashionMnist.Split.TRAIN);
        var test = files.load(FashionMnist.Split.TEST);
        Sources sources = new Sources(settings, DigitTask.of(train, 0, 5), DigitTask.of(test, 0, 5), System.out);
        ResultLog log = ResultLog.open(out.resolve("transfer.csv"));
        System.out.printf(Locale.ROOT, "MNIST from %s; log %s; commit %s%n", files.location(), log.file(),
                settings.commit());
        long start = System.nanoTime();
        if (experiments.contains("transfer")) {
            new EigenvalueTransfer(settings, sources, DigitTask.of(train, 5, 5), DigitTask.of(test, 5, 5), log,
                    System.out).run();
        }
        if (experiments.contains("pruning")) {
            new EigenvaluePruning(settings, sources, log, System.out).run();
        }
        writeSummary(log);
        System.out.printf(Locale.ROOT, "wall time %.1f min%n", (System.nanoTime() - start) / 6e10);
        return 0;
    }

    /** Writes {@code transfer.md}, the summary of every point in {@code log}, and prints it. */
    private void writeSummary(ResultLog log) throws java.io.IOException {
        String summary = "## Transfer: digits 0-4 to digits 5-9\n" + EigenvalueTransfer.summary(log.measurements())
                + "\n## Pruning the digits 0-4 networks\n" + EigenvaluePruning.summary(log.measurements());
        AtomicFiles.writeString(out.resolve("transfer.md"), summary);
        System.out.println(summary);
    }
}
