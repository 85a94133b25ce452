package io.github.dl4jspectral.spark;

import io.github.dl4jspectral.data.Iris;
import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.zoo.ModelSpec;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.github.dl4jspectral.spark.IrisRuns.AVERAGING_FREQUENCY;
import static io.github.dl4jspectral.spark.IrisRuns.BATCH_SIZE_PER_WORKER;
import static io.github.dl4jspectral.spark.IrisRuns.EPOCHS;
import static io.github.dl4jspectral.spark.IrisRuns.HIDDEN;
import static io.github.dl4jspectral.spark.IrisRuns.SEED;
import static io.github.dl4jspectral.spark.IrisRuns.WORKERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's Spark parameter averaging in {@code local[2]} (2 workers) on Iris: spectral networks (EIGENVALUES, FULL;
 * MultiLayerNetwork through {@link SparkDl4jMultiLayer}, ComputationGraph through {@link SparkComputationGraph}) reach
 * the accuracy of single-machine training on the same data, minibatch size and number of epochs; the frozen phi of
 * EIGENVALUES is bit-identical on the driver's copy afterwards; the trained groups moved.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParameterAveragingTest {

    /** Accuracy on the 45 test flowers may differ from single-machine training by at most 3 flowers. */
    static final double TOLERANCE = 3.0 / 45 + 1e-9;

    private static JavaSparkContext sc;
    private static SplitTestAndTrain split;
    private static JavaRDD<DataSet> training;

    @BeforeAll
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    static void startSpark() {
        sc = new JavaSparkContext(SpectralSpark.loopback("local[" + WORKERS + "]", "ParameterAveragingTest"));
        split = IrisRuns.split(SEED);
        training = sc.parallelize(split.getTrain().asList(), WORKERS);
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"EIGENVALUES, false", "EIGENVALUES, true", "FULL, false", "FULL, true"})
    void trainsLikeOneMachineAndKeepsFrozenGroups(ModelSpec.Kind kind, boolean graph) {
        Model alone = network(kind, graph);
        Model distributed = network(kind, graph);
        Map<String, INDArray> initial = Nets.snapshot(distributed);
        initial.keySet().forEach(key -> Nets.assertUnchanged(initial, alone, key));   // the same start

        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (DataSet batch : split.getTrain().batchBy(BATCH_SIZE_PER_WORKER)) {
                fit(alone, batch);
            }
        }
        var master = SpectralSpark.parameterAveraging(WORKERS, 1, BATCH_SIZE_PER_WORKER, AVERAGING_FREQUENCY, SEED);
        Model trained;
        long start = System.nanoTime();
        if (graph) {
            SparkComputationGraph spark = new SparkComputationGraph(sc, (ComputationGraph) distributed, master);
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                spark.fit(training);
            }
            trained = spark.getNetwork();
        } else {
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, (MultiLayerNetwork) distributed, master);
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                spark.fit(training);
            }
            trained = spark.getNetwork();
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        double aloneAccuracy = testAccuracy(alone);
        double sparkAccuracy = testAccuracy(trained);
        System.out.printf(Locale.ROOT, "%s %s: one machine %.3f, Spark local[2] %.3f (%d epochs, %.1f s)%n",
                kind, graph ? "ComputationGraph" : "MultiLayerNetwork", aloneAccuracy, sparkAccuracy, EPOCHS, seconds);
        assertTrue(aloneAccuracy >= 0.85, "single-machine accuracy " + aloneAccuracy);
        assertEquals(aloneAccuracy, sparkAccuracy, TOLERANCE, "Spark against single-machine test accuracy");

        for (String layer : List.of("0_", "1_")) {
            Nets.assertMoved(initial, trained, layer + "lambdaIn", 1e-3);
            Nets.assertMoved(initial, trained, layer + "lambdaOut", 1e-3);
            Nets.assertMoved(initial, trained, layer + "b", 1e-3);
            if (kind == ModelSpec.Kind.EIGENVALUES) {
                Nets.assertUnchanged(initial, trained, layer + "phi");
            } else {
                Nets.assertMoved(initial, trained, layer + "phi", 1e-4);
            }
        }
    }

    static Model network(ModelSpec.Kind kind, boolean graph) {
        MultiLayerNetwork network = ModelSpec.of(kind)
                .network(Iris.FEATURES, HIDDEN, Iris.CLASSES, Activation.TANH, IrisRuns.LEARNING_RATE, SEED);
        return graph ? network.toComputationGraph() : network;
    }

    static void fit(Model model, DataSet batch) {
        if (model instanceof ComputationGraph graph) {
            graph.fit(batch);
        } else {
            ((MultiLayerNetwork) model).fit(batch);
        }
    }

    static double testAccuracy(Model model) {
        INDArray features = split.getTest().getFeatures();
        INDArray predictions = model instanceof ComputationGraph graph
                ? graph.outputSingle(features) : ((MultiLayerNetwork) model).output(features);
        return IrisRuns.accuracy(predictions, split.getTest());
    }
}
