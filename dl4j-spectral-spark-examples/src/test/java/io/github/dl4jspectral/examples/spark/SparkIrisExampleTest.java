package io.github.dl4jspectral.examples.spark;

import io.github.dl4jspectral.spark.SpectralSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example trains on {@code local[2]}: it learns Iris, moves the eigenvalues and leaves the frozen phi alone. */
class SparkIrisExampleTest {

    @Test
    @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void trainsOnLocalSparkAndKeepsTheFrozenEigenvectors() {
        SparkIrisExample.Result result = SparkIrisExample.run(SpectralSpark.loopback("local[2]", "SparkIrisExampleTest"));
        assertEquals("local[2]", result.master());
        assertEquals(45, result.testExamples());
        assertTrue(result.testAccuracy() >= 0.85, "test accuracy " + result.testAccuracy());
        assertTrue(result.lambdaOutMoved() > 1e-3, "lambdaOut moved by " + result.lambdaOutMoved());
        assertTrue(result.phiUnchanged(), "the frozen phi changed");
    }
}
