package io.github.dl4jspectral.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Iris#standardizedSplit}: every flower once, both parts standardized with the training part's statistics. */
class IrisTest {

    @Test
    void splitStandardizesBothPartsWithTheTrainingStatistics() {
        SplitTestAndTrain split = Iris.standardizedSplit(DataType.DOUBLE, 42, 105);
        double[][] train = split.getTrain().getFeatures().toDoubleMatrix();
        double[][] test = split.getTest().getFeatures().toDoubleMatrix();
        assertEquals(105, train.length);
        assertEquals(45, test.length);

        // the raw flowers of each part, found by their labels and positions in the shuffled copy
        DataSet raw = Iris.load(DataType.DOUBLE);
        raw.shuffle(42);
        double[][] all = raw.getFeatures().toDoubleMatrix();
        for (int j = 0; j < Iris.FEATURES; j++) {
            double mean = 0;
            for (int i = 0; i < 105; i++) {
                mean += all[i][j];
            }
            mean /= 105;
            double variance = 0;
            for (int i = 0; i < 105; i++) {
                variance += (all[i][j] - mean) * (all[i][j] - mean);
            }
            double std = Math.sqrt(variance / 105);
            for (int i = 0; i < 105; i++) {
                assertEquals((all[i][j] - mean) / std, train[i][j], 1e-6, "train " + i + ", feature " + j);
            }
            for (int i = 0; i < 45; i++) {
                assertEquals((all[105 + i][j] - mean) / std, test[i][j], 1e-6, "test " + i + ", feature " + j);
            }
        }
        Set<Integer> classes = new HashSet<>();
        for (double[] label : split.getTrain().getLabels().toDoubleMatrix()) {
            for (int c = 0; c < Iris.CLASSES; c++) {
                if (label[c] == 1) {
                    classes.add(c);
                }
            }
        }
        assertEquals(Set.of(0, 1, 2), classes, "the shuffled training part holds every species");
    }

    @Test
    void splitRejectsATrainingPartWithoutTestPartByName() {
        var error = assertThrows(IllegalArgumentException.class, () -> Iris.standardizedSplit(DataType.FLOAT, 1, 150));
        assertEquals("Iris.standardizedSplit trainExamples: got 150; expected 1..149", error.getMessage());
    }
}
