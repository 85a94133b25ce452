package io.github.dl4jspectral.examples.cli;

import io.github.dl4jspectral.zoo.ModelSpec;
import io.github.dl4jspectral.report.Charts;
import io.github.dl4jspectral.pruning.NodeScore;
import io.github.dl4jspectral.pruning.PruningConfig;
import io.github.dl4jspectral.pruning.PruningSweep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code prune}: loads or trains a spectral network, removes the lowest-scored fraction of hidden nodes for
 * each score and fraction (no retraining), and reports test accuracy; writes {@code prune.csv} and
 * {@code prune.png} (accuracy against fraction pruned, one line per score).
 */
@Command(name = "prune", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load or train a spectral network, prune the lowest-scored fraction of hidden nodes for each "
                + "score (EIGENVALUE, RANDOM, CONNECTIVITY, ...) and fraction, print test accuracy and parameter counts, "
                + "and write prune.csv and prune.png.")
final class PruneCommand implements Callable<Integer> {

    @Option(names = "--model-file", paramLabel = "FILE",
            description = "A saved model (from `train`, in either --format) to prune; without it a model is trained first.")
    Path modelFile;

    @Option(names = "--model", defaultValue = "full", paramLabel = "MODEL",
            description = "Model to train when no --model-file is given (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--fractions", split = ",", paramLabel = "F", defaultValue = "0,0.25,0.5,0.7,0.8,0.9,0.95",
            description = "Fractions of hidden nodes to remove, each in [0, 1) (default: ${DEFAULT-VALUE}).")
    double[] fractions;

    @Option(names = "--scores", split = ",", paramLabel = "SCORE", defaultValue = "EIGENVALUE,RANDOM,CONNECTIVITY",
            description = "Node scores, from ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    List<NodeScore> scores;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-output",
            description = "Directory for prune.csv and prune.png (default: ${DEFAULT-VALUE}; created if missing).")
    String out;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        for (double f : fractions) {
            DataOptions.require(f >= 0 && f < 1, "--fractions", f, "a fraction in [0, 1)");
        }
        ModelSpec spec = modelFile == null ? DataOptions.model(model) : null;
        Path directory = OutputPaths.directory("--out", out, "prune.csv", "prune.png");
        if (modelFile != null) {
            SavedModels.requireFile("--model-file", modelFile);
        }
        data.validate();
        DataOptions.Data loaded = data.load();
        MultiLayerNetwork network;
        if (modelFile != null) {
            network = SavedModels.restore("--model-file", modelFile);
            System.out.println("Loaded " + modelFile);
        } else {
            network = TrainingRun.run(spec, null, data, loaded, null).network();
        }
        PruningSweep.Table table;
        try (ProgressBar bar = new ProgressBar("pruning", 1, scores.size() * fractions.length)) {
            int[] done = {0};
            table = PruningSweep.run(network, fractions, scores, data.test(loaded),
                    PruningConfig.builder().seed(data.seed).build(), row -> bar.update(0, ++done[0]));
        }
        List<PruningSweep.Row> rows = table.rows();
        System.out.println();
        System.out.print(table);
        Path csv = directory.resolve("prune.csv");
        Path png = directory.resolve("prune.png");
        table.writeCsv(csv);
        List<Charts.Series> series = new ArrayList<>();
        for (NodeScore score : scores) {
            List<PruningSweep.Row> mine = rows.stream().filter(r -> r.score().equals(score.name())).toList();
            series.add(Charts.Series.of(score.name(), mine.stream().mapToDouble(PruningSweep.Row::fraction).toArray(),
                    mine.stream().mapToDouble(PruningSweep.Row::accuracy).toArray()));
        }
        Charts.write(png, "Fashion-MNIST: test accuracy after pruning hidden nodes (no retraining)",
                "fraction of hidden nodes removed", "test accuracy", series, false);
        System.out.println("\nWrote " + csv + " and " + png);
        return 0;
    }
}
