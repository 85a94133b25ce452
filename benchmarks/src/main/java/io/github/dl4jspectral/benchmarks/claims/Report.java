package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.report.AtomicFiles;
import io.github.dl4jspectral.report.Charts;
import io.github.dl4jspectral.report.Csv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * Turns one experiment's {@link Measurement}s into files: the raw per-seed CSV, a summary over seeds (CSV and
 * markdown: mean, sample standard deviation, min - max of the test accuracy) and a PNG chart (mean with
 * +-1 standard deviation error bars, one line per series). CSV accuracies are fractions 0..1; markdown ones
 * are percent.
 */
public final class Report {

    /**
     * One point summarized over seeds.
     *
     * @param series       chart line
     * @param model        network name
     * @param x            the experiment's x value
     * @param trainable    trainable parameters (mean over seeds; they differ only if pruning differs)
     * @param learningRate Adam learning rate
     * @param accuracy     test accuracy over seeds, fractions 0..1
     */
    public record Row(String series, String model, double x, long trainable, double learningRate, Stats accuracy) {
    }

    private Report() {
    }

    /** Groups by (series, model, x), in order of first appearance. */
    public static List<Row> summarize(List<Measurement> measurements) {
        Map<String, List<Measurement>> groups = new LinkedHashMap<>();
        for (Measurement m : measurements) {
            groups.computeIfAbsent(m.series() + "\u0000" + m.model() + "\u0000" + m.x(), k -> new ArrayList<>()).add(m);
        }
        List<Row> rows = new ArrayList<>();
        for (List<Measurement> g : groups.values()) {
            Measurement first = g.get(0);
            rows.add(new Row(first.series(), first.model(), first.x(),
                    Math.round(g.stream().mapToLong(Measurement::trainable).average().orElseThrow()),
                    first.learningRate(), Stats.of(g.stream().mapToDouble(Measurement::accuracy).toArray())));
        }
        return rows;
    }

    /**
     * Writes {@code <name>-raw.csv}, {@code <name>-summary.csv}, {@code <name>-summary.md} and {@code <name>.png}
     * into the output directory and returns the markdown table.
     *
     * @param xHeader    column title and chart axis label of x
     * @param xFormat    how x is printed in the markdown table
     * @param logX       logarithmic x axis
     * @param labelModel label every chart point with its model name
     */
    public static String write(ClaimsSettings settings, String name, String title, List<Measurement> measurements,
                               String xHeader, DoubleFunction<String> xFormat, boolean logX, boolean labelModel)
            throws IOException {
        Path out = settings.out();
        List<List<?>> raw = new ArrayList<>();
        for (Measurement m : measurements) {
            raw.add(List.of(m.experiment(), m.series(), m.model(), m.x(), m.seed(), m.learningRate(), m.accuracy(),
                    m.trainable(), m.frozen(), m.secondsPerEpoch(), m.epochs(), m.dataset(), m.width(), m.commit()));
        }
        Csv.write(out.resolve(name + "-raw.csv"), ResultLog.HEADER, raw);
        return writeSummary(settings, name, title, measurements, xHeader, xFormat, logX, labelModel);
    }

    /**
     * As {@link #write} without the raw CSV (for an experiment whose raw data is a {@link ResultLog}): writes
     * {@code <name>-summary.csv}, {@code <name>-summary.md} and {@code <name>.png} and returns the markdown table.
     */
    public static String writeSummary(ClaimsSettings settings, String name, String title, List<Measurement> measurements,
                                      String xHeader, DoubleFunction<String> xFormat, boolean logX, boolean labelModel)
            throws IOException {
        Path out = settings.out();
        List<Row> rows = summarize(measurements);
        List<List<?>> summary = new ArrayList<>();
        for (Row r : rows) {
            summary.add(List.of(r.series(), r.model(), r.x(), r.trainable(), r.learningRate(), r.accuracy().n(),
                    r.accuracy().mean(), r.accuracy().std(), r.accuracy().min(), r.accuracy().max()));
        }
        Csv.write(out.resolve(name + "-summary.csv"), List.of("series", "model", "x", "trainable", "learning_rate",
                "seeds", "accuracy_mean", "accuracy_std", "accuracy_min", "accuracy_max"), summary);

        String markdown = markdown(rows, xHeader, xFormat);
        AtomicFiles.writeString(out.resolve(name + "-summary.md"), "### " + title + "\n\n" + markdown);
        chart(out.resolve(name + ".png"), title, xHeader, rows, logX, labelModel);
        return markdown;
    }

    /**
     * Writes {@code <name>-paired.md}: for each comparison "a vs b" (two series names) and every x both have, the
     * paired statistics over the seeds both have ({@link Paired}); returns the markdown table.
     */
    public static String writePaired(ClaimsSettings settings, String name, List<Measurement> measurements,
                                     List<String> comparisons, String xHeader, DoubleFunction<String> xFormat)
            throws IOException {
        Map<String, List<Paired>> pairs = Paired.compareSeries(measurements, comparisons);
        String markdown = "Paired by seed (same initialization draw and data order); a - b in percentage points; "
                + "verdict only where the 95 % interval excludes 0.\n\n" + Paired.markdown(pairs, xHeader, xFormat);
        AtomicFiles.writeString(settings.out().resolve(name + "-paired.md"), markdown);
        return markdown;
    }

    /** A protocol's facts as a markdown table headed "protocol fact ({@code source}) | value". */
    public static String facts(String source, Map<String, String> facts) {
        StringBuilder s = new StringBuilder("| protocol fact (" + source + ") | value |\n|---|---|\n");
        facts.forEach((k, v) -> s.append("| ").append(cell(k)).append(" | ").append(cell(v)).append(" |\n"));
        return s.toString();
    }

    /** {@code text} as a markdown table cell: its pipes (as in "|lambdaOut|") escaped so they do not split the cell. */
    public static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** Markdown table of the rows; accuracy in percent. */
    public static String markdown(List<Row> rows, String xHeader, DoubleFunction<String> xFormat) {
        StringBuilder s = new StringBuilder("| series | model | " + xHeader + " | trainable | lr | seeds "
                + "| test accuracy % (mean +- std) | min - max |\n|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            Stats a = r.accuracy();
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %s | %d | %.2f +- %.2f | %.2f - %.2f |%n",
                    cell(r.series()), cell(r.model()), xFormat.apply(r.x()), r.trainable(), Harness.rate(r.learningRate()), a.n(),
                    100 * a.mean(), 100 * a.std(), 100 * a.min(), 100 * a.max()));
        }
        return s.toString();
    }

    /** One line per series, points in x order, mean accuracy (percent) with +-1 std error bars. */
    public static void chart(Path png, String title, String xLabel, List<Row> rows, boolean logX, boolean labelModel)
            throws IOException {
        Map<String, List<Row>> bySeries = new LinkedHashMap<>();
        for (Row r : rows) {
            bySeries.computeIfAbsent(r.series(), k -> new ArrayList<>()).add(r);
        }
        List<Charts.Series> series = new ArrayList<>();
        for (Map.Entry<String, List<Row>> e : bySeries.entrySet()) {
            List<Row> points = new ArrayList<>(e.getValue());
            points.sort((a, b) -> Double.compare(a.x(), b.x()));
            double[] x = points.stream().mapToDouble(Row::x).toArray();
            double[] y = points.stream().mapToDouble(r -> 100 * r.accuracy().mean()).toArray();
            double[] spread = points.stream().mapToDouble(r -> 100 * r.accuracy().std()).toArray();
            List<String> labels = labelModel ? points.stream().map(Row::model).toList() : null;
            series.add(new Charts.Series(e.getKey(), x, y, spread, labels));
        }
        Charts.write(png, title, xLabel, "test accuracy (%)", series, logX);
    }
}
