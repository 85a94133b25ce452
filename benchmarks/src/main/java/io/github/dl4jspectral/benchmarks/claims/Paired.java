package io.github.dl4jspectral.benchmarks.claims;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A paired comparison over seeds: the per-seed differences a - b of the test accuracy of two networks trained with
 * the same seed (same initialization draw and data order), their mean, sample standard deviation, the paired t
 * statistic and the two-sided 95 % confidence interval of the mean difference (Student's t with n - 1 degrees of
 * freedom). The verdict is {@link Verdict#A_BETTER} or {@link Verdict#B_BETTER} only when that interval excludes
 * zero; otherwise {@link Verdict#UNRESOLVED} (always so below two seeds).
 *
 * @param x           the experiment's x value both points share
 * @param differences a - b per seed, in seed order (fractions, not percent)
 * @param mean        mean difference
 * @param std         sample standard deviation of the differences
 * @param t           mean / (std / sqrt(n)); infinite when every difference is equal and non-zero, NaN for n < 2
 * @param low         lower end of the 95 % interval of the mean difference
 * @param high        upper end
 */
public record Paired(double x, double[] differences, double mean, double std, double t, double low, double high) {

    /** What the interval says. */
    public enum Verdict {
        A_BETTER, B_BETTER, UNRESOLVED
    }

    /** Two-sided 95 % critical values of Student's t for 1 .. 30 degrees of freedom. */
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
            2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
            2.052, 2.048, 2.045, 2.042};

    /** The two-sided 95 % critical value of Student's t with {@code df} degrees of freedom (1.96 beyond 30). */
    static double criticalT(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("Paired: degrees of freedom = " + df + "; expected >= 1");
        }
        return df <= T95.length ? T95[df - 1] : 1.96;
    }

    /** The paired statistics of {@code differences} (at least one). */
    public static Paired of(double x, double... differences) {
        Stats s = Stats.of(differences);
        int n = differences.length;
        if (n < 2) {
            return new Paired(x, differences.clone(), s.mean(), Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double se = s.std() / Math.sqrt(n);
        double t = se == 0 ? (s.mean() == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, s.mean())) : s.mean() / se;
        double half = criticalT(n - 1) * se;
        return new Paired(x, differences.clone(), s.mean(), s.std(), t, s.mean() - half, s.mean() + half);
    }

    public int n() {
        return differences.length;
    }

    public Verdict verdict() {
        if (n() < 2 || Double.isNaN(low)) {
            return Verdict.UNRESOLVED;
        }
        return low > 0 ? Verdict.A_BETTER : high < 0 ? Verdict.B_BETTER : Verdict.UNRESOLVED;
    }

    /**
     * For every x where both have points, the paired comparison of the points matching {@code a} against those
     * matching {@code b}, over the seeds both have; in ascending x.
     */
    public static List<Paired> compare(List<Measurement> measurements, Predicate<Measurement> a, Predicate<Measurement> b) {
        Map<Double, Map<Long, Double>> as = bySeed(measurements, a);
        Map<Double, Map<Long, Double>> bs = bySeed(measurements, b);
        List<Paired> out = new ArrayList<>();
        for (Map.Entry<Double, Map<Long, Double>> e : as.entrySet()) {
            Map<Long, Double> other = bs.get(e.getKey());
            if (other == null) {
                continue;
            }
            List<Double> d = new ArrayList<>();
            for (Map.Entry<Long, Double> s : e.getValue().entrySet()) {
                Double o = other.get(s.getKey());
                if (o != null) {
                    d.add(s.getValue() - o);
                }
            }
            if (!d.isEmpty()) {
                out.add(of(e.getKey(), d.stream().mapToDouble(Double::doubleValue).toArray()));
            }
        }
        return out;
    }

    /**
     * For each comparison "series a vs series b" (exact series names), {@link #compare} of the two series; comparisons
     * without a common x are left out.
     *
     * @throws IllegalArgumentException naming a comparison not of the form "a vs b"
     */
    public static Map<String, List<Paired>> compareSeries(List<Measurement> measurements, List<String> comparisons) {
        Map<String, List<Paired>> pairs = new LinkedHashMap<>();
        for (String comparison : comparisons) {
            String[] ab = comparison.split(" vs ", 2);
            if (ab.length != 2) {
                throw new IllegalArgumentException("comparison = " + comparison + "; expected \"series a vs series b\"");
            }
            List<Paired> p = compare(measurements, m -> m.series().equals(ab[0]), m -> m.series().equals(ab[1]));
            if (!p.isEmpty()) {
                pairs.put(comparison, p);
            }
        }
        return pairs;
    }

    private static Map<Double, Map<Long, Double>> bySeed(List<Measurement> measurements, Predicate<Measurement> p) {
        Map<Double, Map<Long, Double>> m = new TreeMap<>();
        for (Measurement x : measurements) {
            if (p.test(x)) {
                Map<Long, Double> seeds = m.computeIfAbsent(x.x(), k -> new TreeMap<>());
                if (seeds.put(x.seed(), x.accuracy()) != null) {
                    throw new IllegalArgumentException("Paired: two points of one side at x = " + x.x() + ", seed = "
                            + x.seed() + "; expected one per seed (narrow the predicate)");
                }
            }
        }
        return m;
    }

    /** "+1.23 pts (sd 0.45, t 4.7, 95% CI +0.11..+2.35, n 3)": differences in percentage points. */
    public String summary() {
        if (n() < 2) {
            return String.format(Locale.ROOT, "%+.2f pts (one seed: unresolved)", 100 * mean);
        }
        return String.format(Locale.ROOT, "%+.2f pts (sd %.2f, t %.1f, 95%% CI %+.2f..%+.2f, n %d)", 100 * mean,
                100 * std, t, 100 * low, 100 * high, n());
    }

    /** "a > b", "b > a" or "unresolved", with the given names. */
    public String verdictWords(String a, String b) {
        return switch (verdict()) {
            case A_BETTER -> a + " > " + b;
            case B_BETTER -> b + " > " + a;
            case UNRESOLVED -> "unresolved";
        };
    }

    /**
     * A markdown table: one row per (comparison, x) with the per-seed differences, mean, sd, t, interval and verdict.
     *
     * @param comparisons name of each comparison ("a vs b") to its pairs
     * @param xHeader     title of the x column
     */
    public static String markdown(Map<String, List<Paired>> comparisons, String xHeader,
                                  java.util.function.DoubleFunction<String> xFormat) {
        StringBuilder s = new StringBuilder("| comparison (a vs b) | " + xHeader + " | a - b per seed, pts | mean | sd | "
                + "paired t | 95% CI | verdict |\n|---|---|---|---|---|---|---|---|\n");
        comparisons.forEach((name, pairs) -> {
            String[] ab = name.split(" vs ", 2);
            for (Paired p : pairs) {
                StringBuilder per = new StringBuilder();
                for (double d : p.differences()) {
                    per.append(per.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%+.2f", 100 * d));
                }
                s.append(String.format(Locale.ROOT, "| %s | %s | %s | %+.2f | %s | %s | %s | %s |%n", Report.cell(name),
                        xFormat.apply(p.x()), per, 100 * p.mean(),
                        p.n() < 2 ? "-" : String.format(Locale.ROOT, "%.2f", 100 * p.std()),
                        p.n() < 2 ? "-" : Math.abs(p.t()) >= 1000 ? (p.t() > 0 ? ">= 1000" : "<= -1000")
                                : String.format(Locale.ROOT, "%.1f", p.t()),
                        p.n() < 2 ? "-" : String.format(Locale.ROOT, "%+.2f..%+.2f", 100 * p.low(), 100 * p.high()),
                        Report.cell(ab.length == 2 ? p.verdictWords(ab[0], ab[1]) : p.verdict().name().toLowerCase(Locale.ROOT))));
            }
        });
        return s.toString();
    }
}
