package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.report.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An append-only CSV of {@link Measurement}s that makes a long experiment resumable: every measurement is
 * appended (one whole line, flushed) the moment it is known, and a rerun reads the file back and skips
 * every point it already holds. A point is identified by (experiment, series, model, x, seed); the file
 * is the experiment's raw data, so the summary and chart of a run cover every earlier run too.
 *
 * <p>A line cut short by a killed process (no trailing newline, or the wrong number of cells) is dropped on
 * reading and measured again.
 */
public final class ResultLog {

    static final List<String> HEADER = List.of("experiment", "series", "model", "x", "seed", "learning_rate",
            "test_accuracy", "trainable", "frozen", "seconds_per_epoch", "epochs", "dataset", "width", "commit");
    /** The columns of logs written before the provenance was recorded (read, and rewritten with it unknown). */
    private static final int COLUMNS_WITHOUT_PROVENANCE = HEADER.size() - 3;
    /** The columns of logs written before the epochs were recorded (read, and rewritten with epochs unknown). */
    private static final int COLUMNS_WITHOUT_EPOCHS = COLUMNS_WITHOUT_PROVENANCE - 1;

    private final Path file;
    private final Map<String, Measurement> points = new LinkedHashMap<>();

    private ResultLog(Path file) {
        this.file = file;
    }

    /** The log in {@code file}, with the measurements it already holds (none if it does not exist). */
    public static ResultLog open(Path file) throws IOException {
        ResultLog log = new ResultLog(file);
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            log.points.putAll(parseAll(text));
            String valid = String.join("", log.points.values().stream().map(ResultLog::line).toList());
            if (!text.equals(headerLine() + valid)) {
                AtomicFiles.writeString(file, headerLine() + valid); // drop cut-short lines
            }
        } else {
            AtomicFiles.writeString(file, headerLine());
        }
        return log;
    }

    /**
     * The measurements in {@code file} without changing it (none if it does not exist): for reading a log that
     * another process may still be appending to.
     */
    public static List<Measurement> read(Path file) throws IOException {
        return Files.exists(file) ? new ArrayList<>(parseAll(Files.readString(file, StandardCharsets.UTF_8)).values())
                : List.of();
    }

    private static Map<String, Measurement> parseAll(String text) {
        Map<String, Measurement> points = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        // The last element is "" after a final newline, or a line cut short by a killed process.
        for (int i = 1; i < lines.length - 1; i++) {
            Measurement m = parse(lines[i]);
            if (m != null) {
                points.put(key(m), m);
            }
        }
        return points;
    }

    /** Whether the point (experiment, series, model, x, seed) has been measured. */
    public boolean has(String experiment, String series, String model, double x, long seed) {
        return points.containsKey(key(experiment, series, model, x, seed));
    }

    /** Appends {@code m} to the file at once and remembers it. */
    public void append(Measurement m) {
        try {
            Files.writeString(file, line(m), StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("could not append to " + file, e);
        }
        points.put(key(m), m);
    }

    /** Every measurement, in the order first measured. */
    public List<Measurement> measurements() {
        return new ArrayList<>(points.values());
    }

    public Path file() {
        return file;
    }

    private static String headerLine() {
        return String.join(",", HEADER) + "\n";
    }

    private static String key(Measurement m) {
        return key(m.experiment(), m.series(), m.model(), m.x(), m.seed());
    }

    private static String key(String experiment, String series, String model, double x, long seed) {
        return experiment + "\u0000" + series + "\u0000" + model + "\u0000" + String.format(Locale.ROOT, "%.6f", x)
                + "\u0000" + seed;
    }

    /** One CSV line; text cells are quoted, numbers in the root locale with full precision. */
    static String line(Measurement m) {
        return String.join(",", quote(m.experiment()), quote(m.series()), quote(m.model()), number(m.x()),
                Long.toString(m.seed()), number(m.learningRate()), number(m.accuracy()), Long.toString(m.trainable()),
                Long.toString(m.frozen()), number(m.secondsPerEpoch()), Integer.toString(m.epochs()), quote(m.dataset()),
                Integer.toString(m.width()), quote(m.commit())) + "\n";
    }

    private static String number(double d) {
        return Double.toString(d);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** The measurement of one line, or null for a malformed one. */
    static Measurement parse(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        int n = cells.size();
        if (quoted || (n != HEADER.size() && n != COLUMNS_WITHOUT_PROVENANCE && n != COLUMNS_WITHOUT_EPOCHS)) {
            return null;
        }
        try {
            return new Measurement(cells.get(0), cells.get(1), cells.get(2), Double.parseDouble(cells.get(3)),
                    Long.parseLong(cells.get(4)), Double.parseDouble(cells.get(5)), Double.parseDouble(cells.get(6)),
                    Long.parseLong(cells.get(7)), Long.parseLong(cells.get(8)), Double.parseDouble(cells.get(9)),
                    n > COLUMNS_WITHOUT_EPOCHS ? Integer.parseInt(cells.get(10)) : Measurement.UNKNOWN_EPOCHS,
                    n == HEADER.size() ? cells.get(11) : Measurement.UNKNOWN,
                    n == HEADER.size() ? Integer.parseInt(cells.get(12)) : Measurement.UNKNOWN_WIDTH,
                    n == HEADER.size() ? cells.get(13) : Measurement.UNKNOWN);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
