package io.github.dl4jspectral.pruning;

import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.files.AtomicWrite;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Accuracy against fraction pruned, for several scores: the table behind the Sci. Rep. Fig. 3 style
 * comparison. Each entry prunes the same trained network afresh (post-processing, no retraining).
 *
 * <pre>{@code
 * PruningSweep.Table table = PruningSweep.run(network, new double[]{0, 0.25, 0.5, 0.75},
 *         List.of(NodeScore.EIGENVALUE, NodeScore.RANDOM, NodeScore.CONNECTIVITY), testIterator,
 *         PruningConfig.builder().pooled(true).build());
 * System.out.println(table);
 * table.writeCsv(Path.of("pruning.csv"));
 * }</pre>
 */
public final class PruningSweep {

    private PruningSweep() {
    }

    /**
     * One row of the table.
     *
     * @param score     the score's name
     * @param fraction  fraction of hidden nodes removed (0: the unpruned network)
     * @param accuracy  accuracy on the evaluation data
     * @param trainable trainable parameters of the pruned network
     * @param total     all parameters of the pruned network
     */
    public record Row(String score, double fraction, double accuracy, long trainable, long total) {
    }

    /** The rows, with printing and CSV. */
    public record Table(List<Row> rows) {

        /** The rows as CSV with a header line; numbers in the root locale, whatever the default locale. */
        public String toCsv() {
            StringBuilder csv = new StringBuilder("score,fraction,accuracy,trainable,total\n");
            for (Row r : rows) {
                csv.append(String.format(Locale.ROOT, "%s,%.4f,%.6f,%d,%d%n", r.score(), r.fraction(), r.accuracy(), r.trainable(), r.total()));
            }
            return csv.toString();
        }

        /**
         * Writes {@link #toCsv()} to {@code file}, creating its directory if needed: into a temporary file beside it,
         * then renamed over {@code file} in one step, so a failed write leaves an existing file as it was.
         */
        public void writeCsv(Path file) throws IOException {
            AtomicWrite.write(file, out -> out.write(toCsv().getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-18s %9s %9s %11s %11s%n", "score", "fraction", "accuracy",
                    "trainable", "total"));
            for (Row r : rows) {
                s.append(String.format(Locale.ROOT, "%-18s %9.2f %9.4f %,11d %,11d%n", r.score(), r.fraction(), r.accuracy(),
                        r.trainable(), r.total()));
            }
            return s.toString();
        }
    }

    /**
     * @param base everything but score and amount (pooled or not, eigenvalue rule, seed)
     */
    public static Table run(MultiLayerNetwork network, double[] fractions, List<NodeScore> scores,
                            DataSetIterator evaluation, PruningConfig base) {
        return run(network, fractions, scores, evaluation, base, row -> {
        });
    }

    /**
     * As {@link #run(MultiLayerNetwork, double[], List, DataSetIterator, PruningConfig)}, telling {@code progress}
     * each row as soon as it is measured (e.g. for a progress bar). Only the pruned networks are evaluated, once each.
     */
    public static Table run(MultiLayerNetwork network, double[] fractions, List<NodeScore> scores,
                            DataSetIterator evaluation, PruningConfig base, Consumer<Row> progress) {
        List<Row> rows = new ArrayList<>();
        for (NodeScore score : scores) {
            for (double fraction : fractions) {
                PruningConfig config = base.withScore(score)
                        .withAmount(new PruningConfig.Amount(PruningConfig.Amount.Kind.FRACTION, fraction));
                MultiLayerNetwork pruned = Pruner.prune(network, config).network();
                ParameterCounts counts = ParameterCounts.of(pruned);
                Row row = new Row(score.name(), fraction, Pruner.accuracy(pruned, evaluation), counts.trainable(),
                        counts.total());
                rows.add(row);
                progress.accept(row);
            }
        }
        return new Table(rows);
    }
}
