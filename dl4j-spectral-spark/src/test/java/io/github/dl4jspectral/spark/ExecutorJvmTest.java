package io.github.dl4jspectral.spark;

import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.zoo.ModelSpec;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static io.github.dl4jspectral.spark.IrisRuns.AVERAGING_FREQUENCY;
import static io.github.dl4jspectral.spark.IrisRuns.BATCH_SIZE_PER_WORKER;
import static io.github.dl4jspectral.spark.IrisRuns.SEED;
import static io.github.dl4jspectral.spark.IrisRuns.WORKERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark's {@code local-cluster[2,1,1024]}: a master and two workers in this JVM, each worker running its executor in a
 * separate JVM, as on a real cluster. The spectral configuration reaches the executors and is rebuilt there (JSON
 * and Java serialization, the two ways DL4J ships it), and parameter averaging trains a spectral network whose
 * every minibatch runs in the executor JVMs.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExecutorJvmTest {

    private static JavaSparkContext sc;

    @BeforeAll
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    static void startCluster() throws IOException, InterruptedException {
        String sparkHome = System.getenv("SPARK_HOME");
        assertNotNull(sparkHome, "SPARK_HOME is not set; expected the module's surefire configuration to set it");
        // Spark's launcher puts SPARK_HOME/jars/* on the executors' class path and insists the directory exists;
        // empty here, the class path comes from spark.executor.extraClassPath (SpectralSpark.loopback).
        Files.createDirectories(Path.of(sparkHome, "jars"));
        sc = new JavaSparkContext(SpectralSpark.loopback("local-cluster[" + WORKERS + ",1,1024]", "ExecutorJvmTest"));
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (sc.sc().getExecutorMemoryStatus().size() < WORKERS + 1 && System.nanoTime() < deadline) {
            Thread.sleep(200);   // the driver's block manager plus one per executor
        }
        assertEquals(WORKERS + 1, sc.sc().getExecutorMemoryStatus().size(), "block managers registered");
    }

    @AfterAll
    static void stopCluster() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void spectralConfigurationIsRebuiltInEveryExecutorJvm() {
        MultiLayerConfiguration conf = ModelSpec.of(ModelSpec.Kind.EIGENVALUES).configuration(4, 8, 3,
                org.nd4j.linalg.activations.Activation.TANH, 0.05, SEED);
        String json = conf.toJson();
        long driver = ProcessHandle.current().pid();

        List<String> seen = sc.parallelize(IntStream.range(0, 4 * WORKERS).boxed().toList(), 4 * WORKERS)
                .map(i -> describeInThisJvm(json, conf)).collect();

        Set<String> executors = new HashSet<>();
        for (String line : seen) {
            String[] fields = line.split("\\|");
            assertFalse(fields[0].equals(Long.toString(driver)), "a task ran in the driver's JVM: " + line);
            executors.add(fields[0]);
            assertEquals("SpectralDenseLayer preset EIGENVALUES nIn=4 nOut=8"
                    + " / SpectralOutputLayer preset EIGENVALUES nIn=8 nOut=3 / same as shipped", fields[1], line);
        }
        assertEquals(WORKERS, executors.size(), "distinct executor JVMs in " + seen);
    }

    /** "pid|layer 0 / layer 1 / whether the JSON and the Java-serialized copy agree", computed in the executor. */
    private static String describeInThisJvm(String json, MultiLayerConfiguration shipped) throws InterruptedException {
        Thread.sleep(300);   // long enough for both executors to take tasks
        MultiLayerConfiguration fromJson = MultiLayerConfiguration.fromJson(json);
        SpectralDenseLayer hidden = (SpectralDenseLayer) fromJson.getConf(0).getLayer();
        SpectralOutputLayer output = (SpectralOutputLayer) fromJson.getConf(1).getLayer();
        return ProcessHandle.current().pid() + "|"
                + "SpectralDenseLayer preset " + hidden.getSpectral().getPreset() + " nIn=" + hidden.getNIn()
                + " nOut=" + hidden.getNOut() + " / SpectralOutputLayer preset " + output.getSpectral().getPreset()
                + " nIn=" + output.getNIn() + " nOut=" + output.getNOut()
                + (fromJson.equals(shipped) && shipped.getConf(0).getLayer() instanceof SpectralDenseLayer s
                && s.getSpectral().getPreset() == SpectralPreset.EIGENVALUES ? " / same as shipped" : " / differs");
    }

    @Test
    void parameterAveragingTrainsInTheExecutorJvms() {
        SplitTestAndTrain split = IrisRuns.split(SEED);
        MultiLayerNetwork network = (MultiLayerNetwork) ParameterAveragingTest.network(ModelSpec.Kind.EIGENVALUES, false);
        Map<String, INDArray> initial = Nets.snapshot(network);
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, network,
                SpectralSpark.parameterAveraging(WORKERS, 1, BATCH_SIZE_PER_WORKER, AVERAGING_FREQUENCY, SEED));
        var training = sc.parallelize(split.getTrain().asList(), WORKERS);
        DataSet train = split.getTrain();
        double scoreBefore = network.score(train);
        int epochs = 4;
        long start = System.nanoTime();
        for (int epoch = 0; epoch < epochs; epoch++) {
            spark.fit(training);
        }
        MultiLayerNetwork trained = spark.getNetwork();
        double scoreAfter = trained.score(train);
        System.out.printf(Locale.ROOT, "local-cluster[2,1,1024]: EIGENVALUES, %d epochs in %.1f s, training loss %.3f -> %.3f%n",
                epochs, (System.nanoTime() - start) / 1e9, scoreBefore, scoreAfter);

        assertTrue(scoreAfter < 0.8 * scoreBefore, "training loss " + scoreBefore + " -> " + scoreAfter
                + "; expected a drop by a fifth at least");
        for (String layer : List.of("0_", "1_")) {
            Nets.assertUnchanged(initial, trained, layer + "phi");
            Nets.assertMoved(initial, trained, layer + "lambdaIn", 1e-3);
            Nets.assertMoved(initial, trained, layer + "lambdaOut", 1e-3);
        }
    }
}
