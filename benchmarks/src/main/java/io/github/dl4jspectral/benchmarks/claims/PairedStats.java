package io.github.dl4jspectral.benchmarks.claims;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Prints the paired statistics ({@link Paired}) of comparisons between series of any harness CSV (a {@code *-runs.csv}
 * or {@code *-raw.csv}), for checking a sentence of RESULTS.md against the raw data, or without comparisons the
 * summary over seeds of every series:
 * <pre>
 * java -cp ... PairedStats benchmarks/results/claims-rules/rules-raw.csv --model full \
 *     "post: EIGENVALUE BOTH vs post: RANDOM"
 * </pre>
 */
@Command(name = "PairedStats", mixinStandardHelpOptions = true,
        description = "Paired-by-seed statistics of 'series a vs series b' comparisons in a harness CSV.")
public final class PairedStats implements Callable<Integer> {

    @Parameters(index = "0", description = "The CSV file (columns as ResultLog's).")
    Path file;

    @Parameters(index = "1..*", arity = "0..*", description = "Comparisons, each \"series a vs series b\" (exact series "
            + "names); none: the summary over seeds of every series and x.")
    List<String> comparisons = new ArrayList<>();

    @Option(names = "--model", description = "Only rows of this model.")
    String model;

    @Option(names = "--dataset", description = "Only rows of this dataset (rows logged without one count as fashion).")
    String dataset;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PairedStats()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            System.err.println("PairedStats: file = " + file + "; expected an existing harness CSV");
            return 2;
        }
        List<Measurement> rows = ResultLog.read(file).stream()
                .filter(m -> model == null || m.model().equals(model))
                .filter(m -> dataset == null || dataset.equals(m.dataset().isEmpty() ? "fashion" : m.dataset()))
                .toList();
        if (comparisons.isEmpty()) {
            System.out.print(Report.markdown(Report.summarize(rows), "x", x -> String.format(Locale.ROOT, "%.4g", x)));
            return 0;
        }
        Map<String, List<Paired>> pairs;
        try {
            pairs = Paired.compareSeries(rows, comparisons);
        } catch (IllegalArgumentException e) {
            System.err.println("PairedStats: " + e.getMessage());
            return 2;
        }
        System.out.print(Paired.markdown(pairs, "x", x -> String.format(Locale.ROOT, "%.4g", x)));
        return 0;
    }
}
