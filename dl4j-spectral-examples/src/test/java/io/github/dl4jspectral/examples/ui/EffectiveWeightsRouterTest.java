package io.github.dl4jspectral.examples.ui;

import io.github.dl4jspectral.data.Iris;
import io.github.dl4jspectral.zoo.ModelSpec;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.impl.CollectionStatsStorageRouter;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.stats.api.Histogram;
import org.deeplearning4j.ui.model.stats.api.StatsReport;
import org.deeplearning4j.ui.model.stats.api.StatsType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The statistics of W that {@link EffectiveWeightsRouter} adds, against W computed here entry by entry from the
 * layer's parameters, {@code W[j][i] = phi[j][i] * (lambdaIn[j] - lambdaOut[i])}, before and after each step.
 */
class EffectiveWeightsRouterTest {

    /** W of layer {@code layer}, from its parameter arrays, as a flat list. */
    private static double[] effectiveWeights(MultiLayerNetwork network, int layer) {
        Map<String, INDArray> p = network.getLayer(layer).paramTable();
        INDArray phi = p.get("phi");
        INDArray lambdaIn = p.get("lambdaIn");
        INDArray lambdaOut = p.get("lambdaOut");
        int nIn = (int) phi.size(0);
        int nOut = (int) phi.size(1);
        double[] w = new double[nIn * nOut];
        for (int j = 0; j < nIn; j++) {
            for (int i = 0; i < nOut; i++) {
                w[j * nOut + i] = phi.getDouble(j, i) * (lambdaIn.getDouble(j) - lambdaOut.getDouble(i));
            }
        }
        return w;
    }

    private static double mean(double[] a) {
        return Arrays.stream(a).average().orElseThrow();
    }

    private static double meanMagnitude(double[] a) {
        return Arrays.stream(a).map(Math::abs).average().orElseThrow();
    }

    private static double[] minus(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = a[k] - b[k];
        }
        return out;
    }

    /** Equal up to float rounding relative to {@code scale}, the size of the entries summed. */
    private static void assertClose(double expected, double actual, double scale, String what) {
        assertEquals(expected, actual, 1e-12 + 1e-5 * scale, what);
    }

    @Test
    void everyReportCarriesTheEffectiveWeightsAndTheStepOfTheReportedIteration() {
        MultiLayerNetwork network = ModelSpec.of(ModelSpec.Kind.EIGENVALUES).network(4, 8, 3, Activation.TANH, 0.05, 3);
        DataSet iris = Iris.load(network.params().dataType());
        List<Persistable> updates = new ArrayList<>();
        network.setListeners(TrainingUi.listeners(new CollectionStatsStorageRouter(new ArrayList<>(), new ArrayList<>(),
                updates), network, "test"));

        // DL4J's StatsListener reports iterations 10 and 20 (every 10th, not 0)
        for (int iteration = 0; iteration <= 20; iteration++) {
            double[][] before = {effectiveWeights(network, 0), effectiveWeights(network, 1)};
            network.fit(iris);
            if (iteration % 10 != 0 || iteration == 0) {
                continue;
            }
            assertEquals(iteration / 10, updates.size(), "reports after iteration " + iteration);
            StatsReport report = (StatsReport) updates.get(updates.size() - 1);
            assertEquals(iteration, report.getIterationCount());
            for (int layer = 0; layer < 2; layer++) {
                String key = layer + "_W";
                double[] after = effectiveWeights(network, layer);
                double[] update = minus(before[layer], after);
                assertTrue(meanMagnitude(update) > 0, "W moves (lambdaIn, lambdaOut are trained)");

                double w = meanMagnitude(after);
                double step = meanMagnitude(update);
                assertClose(mean(after), report.getMean(StatsType.Parameters).get(key), w, key + " mean, iteration " + iteration);
                assertClose(w, report.getMeanMagnitudes(StatsType.Parameters).get(key), w, key + " mean magnitude");
                assertClose(step, report.getMeanMagnitudes(StatsType.Updates).get(key), step,
                        key + " update mean magnitude: the step of the reported iteration");
                assertClose(mean(update), report.getMean(StatsType.Updates).get(key), step, key + " update mean");

                Histogram h = report.getHistograms(StatsType.Parameters).get(key);
                assertClose(Arrays.stream(after).min().orElseThrow(), h.getMin(), w, key + " histogram min");
                assertClose(Arrays.stream(after).max().orElseThrow(), h.getMax(), w, key + " histogram max");
                assertEquals(after.length, Arrays.stream(h.getBinCounts()).sum(), key + " histogram counts every entry");
                assertEquals(after.length, Arrays.stream(report.getHistograms(StatsType.Updates).get(key).getBinCounts()).sum());

                assertTrue(report.getMeanMagnitudes(StatsType.Parameters).containsKey(layer + "_lambdaIn"),
                        "the spectral groups keep their own keys");
                assertFalse(report.getLearningRates().containsKey(key), "W is no parameter: no learning rate");
            }
        }
    }
}
