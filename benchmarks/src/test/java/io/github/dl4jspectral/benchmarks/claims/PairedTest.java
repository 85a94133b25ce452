package io.github.dl4jspectral.benchmarks.claims;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Paired-by-seed statistics, checked against values computed by hand. */
class PairedTest {

    private static Measurement point(String series, double x, long seed, double accuracy) {
        return new Measurement("e", series, "m", x, seed, 1e-3, accuracy, 1, 0, Double.NaN, 1);
    }

    @Test
    void threeDifferencesGiveTheHandComputedMeanSdTAndInterval() {
        Paired p = Paired.of(0, 1, 2, 3);
        assertEquals(2, p.mean(), 1e-12);
        assertEquals(1, p.std(), 1e-12);
        assertEquals(2 / (1 / Math.sqrt(3)), p.t(), 1e-12);
        assertEquals(2 - 4.303 / Math.sqrt(3), p.low(), 1e-12);
        assertEquals(2 + 4.303 / Math.sqrt(3), p.high(), 1e-12);
        assertEquals(Paired.Verdict.UNRESOLVED, p.verdict(), "the interval -0.48..4.48 holds 0");
        assertEquals(Paired.Verdict.A_BETTER, Paired.of(0, 1, 1.1, 0.9).verdict());
        assertEquals(Paired.Verdict.B_BETTER, Paired.of(0, -1, -1.1, -0.9).verdict());
        assertEquals(Paired.Verdict.UNRESOLVED, Paired.of(0, 5).verdict(), "one seed never resolves");
        assertEquals(12.706, Paired.criticalT(1));
        assertEquals(2.042, Paired.criticalT(30));
    }

    @Test
    void pointsArePairedBySeedWithinEachXAndUnmatchedSeedsLeftOut() {
        List<Measurement> rows = List.of(point("a", 10, 1, 0.80), point("a", 10, 2, 0.70), point("a", 10, 3, 0.90),
                point("b", 10, 2, 0.60), point("b", 10, 1, 0.75), point("b", 20, 1, 0.5), point("a", 30, 1, 0.5));
        List<Paired> pairs = Paired.compare(rows, m -> m.series().equals("a"), m -> m.series().equals("b"));
        assertEquals(1, pairs.size(), "only x = 10 has both");
        assertEquals(10, pairs.get(0).x());
        assertArrayEquals(new double[]{0.80 - 0.75, 0.70 - 0.60}, pairs.get(0).differences(), 1e-12);
    }

    @Test
    void twoPointsOfOneSideAtOneSeedAreAnErrorNotAnAverage() {
        List<Measurement> rows = List.of(point("a", 10, 1, 0.8), point("a", 10, 1, 0.7), point("b", 10, 1, 0.6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Paired.compare(rows, m -> m.series().equals("a"), m -> m.series().equals("b")));
        assertEquals(true, e.getMessage().contains("seed = 1"), e.getMessage());
    }
}
