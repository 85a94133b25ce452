package io.github.dl4jspectral.spark;

import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.zoo.ModelSpec;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.github.dl4jspectral.spark.IrisRuns.AVERAGING_FREQUENCY;
import static io.github.dl4jspectral.spark.IrisRuns.BATCH_SIZE_PER_WORKER;
import static io.github.dl4jspectral.spark.IrisRuns.SEED;
import static io.github.dl4jspectral.spark.IrisRuns.WORKERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's ParallelWrapper (data-parallel training on one machine) in its averaging mode, 2 workers: a spectral
 * network (EIGENVALUES) reaches the accuracy of plain single-threaded training, its frozen phi stays bit-identical
 * and its eigenvalues move. (The SHARED_GRADIENTS mode deadlocks inside DL4J M2.1, for a DenseLayer network too.)
 */
class ParallelWrapperTest {

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void averagingModeTrainsSpectralNetworkAndKeepsFrozenPhi() throws Exception {
        SplitTestAndTrain split = IrisRuns.split(SEED);
        MultiLayerNetwork alone = (MultiLayerNetwork) ParameterAveragingTest.network(ModelSpec.Kind.EIGENVALUES, false);
        MultiLayerNetwork parallel = (MultiLayerNetwork) ParameterAveragingTest.network(ModelSpec.Kind.EIGENVALUES, false);
        Map<String, INDArray> initial = Nets.snapshot(parallel);
        int epochs = 20;

        for (int epoch = 0; epoch < epochs; epoch++) {
            for (DataSet batch : split.getTrain().batchBy(BATCH_SIZE_PER_WORKER)) {
                alone.fit(batch);
            }
        }
        long start = System.nanoTime();
        try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(parallel)
                .workers(WORKERS)
                .averagingFrequency(AVERAGING_FREQUENCY)
                .trainingMode(ParallelWrapper.TrainingMode.AVERAGING)
                .prefetchBuffer(2)
                .build()) {
            // One fit over all epochs' minibatches: each fit call starts and stops the wrapper's worker threads.
            List<DataSet> batches = new ArrayList<>();
            for (int epoch = 0; epoch < epochs; epoch++) {
                batches.addAll(split.getTrain().batchBy(BATCH_SIZE_PER_WORKER));
            }
            wrapper.fit(new ExistingDataSetIterator(batches));
        }
        double aloneAccuracy = IrisRuns.accuracy(alone.output(split.getTest().getFeatures()), split.getTest());
        double parallelAccuracy = IrisRuns.accuracy(parallel.output(split.getTest().getFeatures()), split.getTest());
        System.out.printf(Locale.ROOT, "ParallelWrapper AVERAGING, %d workers: one thread %.3f, wrapper %.3f (%d epochs, %.1f s)%n",
                WORKERS, aloneAccuracy, parallelAccuracy, epochs, (System.nanoTime() - start) / 1e9);

        assertEquals(aloneAccuracy, parallelAccuracy, ParameterAveragingTest.TOLERANCE,
                "ParallelWrapper against single-threaded test accuracy");
        for (String layer : List.of("0_", "1_")) {
            Nets.assertUnchanged(initial, parallel, layer + "phi");
            Nets.assertMoved(initial, parallel, layer + "lambdaIn", 1e-3);
            Nets.assertMoved(initial, parallel, layer + "lambdaOut", 1e-3);
        }
        assertTrue(aloneAccuracy >= 0.85, "single-threaded accuracy " + aloneAccuracy);
    }
}
