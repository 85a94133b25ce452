package io.github.dl4jspectral.benchmarks.claims;

import java.util.Locale;

/**
 * A paired comparison of two methods over the same seeds: the per-seed differences {@code a[s] - b[s]}, their mean and
 * sample standard deviation, and the paired t statistic {@code t = mean / (std / sqrt(n))}. The difference is
 * resolved when {@code |t|} reaches the two-sided 95 % critical value of Student's t with {@code n - 1} degrees of
 * freedom (4.30 for 3 seeds); otherwise it is "unresolved".
 *
 * @param n    number of seeds (pairs)
 * @param mean mean difference
 * @param std  sample standard deviation of the differences (n - 1 in the denominator)
 * @param t    paired t statistic (infinite when every difference is equal and non-zero, NaN when all are 0 or n = 1)
 */
public record PairedDifference(int n, double mean, double std, double t) {

    /** Two-sided 95 % critical values of Student's t for 1 to 10 degrees of freedom. */
    private static final double[] CRITICAL_95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228};
    /** The normal approximation, used beyond 10 degrees of freedom (slightly liberal there). */
    private static final double CRITICAL_95_LARGE = 1.96;

    /** The paired difference {@code a - b}; both arrays hold one value per seed, in the same seed order. */
    public static PairedDifference of(double[] a, double[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("PairedDifference: " + a.length + " and " + b.length + " values; expected "
                    + "the same number, at least one");
        }
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        Stats s = Stats.of(d);
        double t = s.n() < 2 ? Double.NaN : s.mean() / (s.std() / Math.sqrt(s.n()));
        return new PairedDifference(s.n(), s.mean(), s.std(), t);
    }

    /** The two-sided 95 % critical value of t for {@code n - 1} degrees of freedom (NaN for n &lt; 2). */
    public double critical() {
        int df = n - 1;
        return df < 1 ? Double.NaN : df <= CRITICAL_95.length ? CRITICAL_95[df - 1] : CRITICAL_95_LARGE;
    }

    /** Whether |t| reaches the critical value. */
    public boolean resolved() {
        return !Double.isNaN(t) && Math.abs(t) >= critical();
    }

    /** "+1.23 +- 0.45 (t = 4.7)" or the same with "unresolved", differences scaled by {@code scale} (100 for points). */
    public String describe(double scale) {
        return String.format(Locale.ROOT, "%+.2f +- %.2f (t = %.1f%s)", mean * scale, std * scale, t,
                resolved() ? "" : ", unresolved");
    }
}
