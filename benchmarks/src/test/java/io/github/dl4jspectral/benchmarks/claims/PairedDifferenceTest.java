package io.github.dl4jspectral.benchmarks.claims;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The paired t over seeds, against values worked out by hand. */
class PairedDifferenceTest {

    @Test
    void smallConsistentDifferencesBelowTheCriticalValueAreUnresolved() {
        // differences 0.02, 0.01, 0.05: mean 0.02667, std sqrt(4.3333e-4) = 0.020817, t = 0.02667 / (0.020817 / sqrt 3)
        PairedDifference d = PairedDifference.of(new double[]{0.90, 0.80, 0.85}, new double[]{0.88, 0.79, 0.80});
        assertEquals(3, d.n());
        assertEquals(0.0266667, d.mean(), 1e-6);
        assertEquals(0.0208167, d.std(), 1e-6);
        assertEquals(2.21880, d.t(), 1e-4);
        assertEquals(4.303, d.critical());
        assertFalse(d.resolved());
        assertTrue(d.describe(100).endsWith("(t = 2.2, unresolved)"), d.describe(100));
    }

    @Test
    void aDifferenceWithTAboveTheCriticalValueIsResolved() {
        PairedDifference d = PairedDifference.of(new double[]{2.0, 2.1, 1.9}, new double[]{1, 1, 1});
        assertEquals(1.0, d.mean(), 1e-12);
        assertEquals(0.1, d.std(), 1e-12);
        assertEquals(10 * Math.sqrt(3), d.t(), 1e-9);
        assertTrue(d.resolved());
        assertEquals("+100.00 +- 10.00 (t = 17.3)", d.describe(100));
        assertTrue(PairedDifference.of(new double[]{-2.0, -2.1, -1.9}, new double[]{0, 0, 0}).resolved(), "negative t");
    }

    @Test
    void mismatchedOrEmptyInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> PairedDifference.of(new double[]{1, 2}, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> PairedDifference.of(new double[0], new double[0]));
        assertFalse(PairedDifference.of(new double[]{1}, new double[]{0}).resolved(), "one seed resolves nothing");
    }
}
