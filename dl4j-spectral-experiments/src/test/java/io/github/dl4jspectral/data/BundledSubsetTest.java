package io.github.dl4jspectral.data;

import io.github.dl4jspectral.data.FashionMnist.Split;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Fashion-MNIST subset shipped in this module's jar: found on the classpath, 10,000 + 2,000 valid examples. */
class BundledSubsetTest {

    @Test
    void subsetHoldsTenThousandTrainingAndTwoThousandTestImagesOfEveryClass() {
        FashionMnistFiles files = FashionMnistLocator.builder().bundledSubsetOnly().build().locate();
        assertEquals(DataOrigin.BUNDLED_SUBSET, files.origin());
        LabeledImages train = files.load(Split.TRAIN);
        LabeledImages test = files.load(Split.TEST);
        assertEquals(10_000, train.size());
        assertEquals(2_000, test.size());
        int[] perClass = new int[10];
        for (int i = 0; i < test.size(); i++) {
            perClass[test.label(i)]++;
        }
        for (int count : perClass) {
            assertTrue(count >= 180 && count <= 220, java.util.Arrays.toString(perClass));
        }
        // the first training image of Fashion-MNIST is an ankle boot (class 9), the first test image too
        assertEquals(9, train.label(0));
        assertEquals(9, test.label(0));
    }
}
