package io.github.dl4jspectral.benchmarks.claims;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Prints the comparisons that bear on the papers' claims from an experiment's summary rows: accuracy
 * differences in percentage points (mean over seeds, with both standard deviations) and parameter ratios.
 */
final class Claims {

    private final List<Report.Row> rows;

    Claims(List<Report.Row> rows) {
        this.rows = rows;
    }

    /** The row of {@code model} (unique within the dense and sparse experiments). */
    Optional<Report.Row> model(String model) {
        return rows.stream().filter(r -> r.model().equals(model)).findFirst();
    }

    /** The row of {@code series} at {@code x}. */
    Optional<Report.Row> at(String series, double x) {
        return rows.stream().filter(r -> r.series().equals(series) && Math.abs(r.x() - x) < 1e-9).findFirst();
    }

    /** "- a vs b: ..." with the accuracy difference and the parameter ratio, or nothing if either is missing. */
    String versus(String a, String b) {
        Optional<Report.Row> ra = model(a);
        Optional<Report.Row> rb = model(b);
        if (ra.isEmpty() || rb.isEmpty()) {
            return "";
        }
        return "- " + compare(ra.get(), rb.get()) + String.format(Locale.ROOT, "; %s has %.2f%% of the trainable "
                + "parameters of %s%n", a, 100.0 * ra.get().trainable() / rb.get().trainable(), b);
    }

    /** "a (n trainable) x +- s % vs b ...: difference d points". */
    static String compare(Report.Row a, Report.Row b) {
        return String.format(Locale.ROOT, "%s (%,d trainable) %.2f +- %.2f %% vs %s (%,d trainable) %.2f +- %.2f %%: "
                        + "difference %+.2f points", a.model(), a.trainable(), 100 * a.accuracy().mean(),
                100 * a.accuracy().std(), b.model(), b.trainable(), 100 * b.accuracy().mean(), 100 * b.accuracy().std(),
                100 * (a.accuracy().mean() - b.accuracy().mean()));
    }
}
