package io.github.dl4jspectral.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Writes a table as RFC 4180 CSV: a header row, then one row per record; numbers in the root locale. */
public final class Csv {

    private Csv() {
    }

    /** Writes {@code header} and {@code rows} to {@code file} atomically ({@link AtomicFiles}), creating its directory. */
    public static void write(Path file, List<String> header, List<? extends List<?>> rows) throws IOException {
        StringBuilder s = new StringBuilder(line(header));
        for (List<?> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException(file + ": row of " + row.size() + " cells under a header of "
                        + header.size() + ": " + row);
            }
            s.append(line(row));
        }
        AtomicFiles.writeString(file, s.toString());
    }

    private static String line(List<?> cells) {
        return cells.stream().map(Csv::cell).collect(Collectors.joining(",")) + "\n";
    }

    private static String cell(Object value) {
        String s = value instanceof Double || value instanceof Float
                ? String.format(Locale.ROOT, "%.6g", ((Number) value).doubleValue()) : String.valueOf(value);
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
