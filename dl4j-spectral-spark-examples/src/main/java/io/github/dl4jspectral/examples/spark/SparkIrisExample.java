package io.github.dl4jspectral.examples.spark;

import io.github.dl4jspectral.count.SpectralSummary;
import io.github.dl4jspectral.data.Iris;
import io.github.dl4jspectral.spark.SpectralSpark;
import io.github.dl4jspectral.zoo.ModelSpec;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;

import java.util.Arrays;
import java.util.Locale;

/**
 * A spectral network (4 - 16 tanh - 3 softmax, preset EIGENVALUES: only the eigenvalues and biases train) trained
 * on Iris with DL4J's Spark parameter averaging ({@link SparkDl4jMultiLayer}, {@link SpectralSpark#parameterAveraging}),
 * then evaluated on the driver: test accuracy, how far the eigenvalues moved, whether the frozen phi stayed
 * bit-identical, and the trainable / frozen parameter counts.
 *
 * <p>Under {@code spark-submit} the master comes from {@code --master}; run directly, the first argument is the
 * master (default {@code local[2]}, bound to 127.0.0.1), in a JVM started with Spark's Java 17 options, which
 * {@code exec:exec} passes (from the repository root):
 * {@code mvn -q -pl dl4j-spectral-spark-examples -am test-compile exec:exec -Dexec.args="local[2]"}.
 */
public final class SparkIrisExample {

    /** Seed of the data split, the network's initialization and the RDD's split. */
    public static final long SEED = 42;
    /** Flowers in the training part (the other 45 are the test part). */
    public static final int TRAIN_EXAMPLES = 105;
    public static final int HIDDEN = 16;
    public static final int WORKERS = 2;
    public static final int BATCH_SIZE_PER_WORKER = 15;
    public static final int AVERAGING_FREQUENCY = 2;
    public static final int EPOCHS = 40;
    /** Adam's learning rate for eigenvalue-only training (IrisComparison's). */
    public static final double LEARNING_RATE = 0.05;

    /**
     * What a run gives.
     *
     * @param master            the Spark master it ran on
     * @param seconds           the time of the {@link #EPOCHS} epochs of training
     * @param testAccuracy      the fraction of the 45 test flowers classified correctly
     * @param testExamples      the number of test flowers
     * @param lambdaOutMoved    the largest change of the hidden layer's lambdaOut
     * @param phiUnchanged      whether the hidden layer's frozen phi is bit-identical after training
     * @param trained           the trained network (on the driver)
     */
    public record Result(String master, double seconds, double testAccuracy, int testExamples, double lambdaOutMoved,
                         boolean phiUnchanged, MultiLayerNetwork trained) {
    }

    private SparkIrisExample() {
    }

    /** Trains the network on {@code conf}'s master and evaluates it. */
    public static Result run(SparkConf conf) {
        SplitTestAndTrain split = Iris.standardizedSplit(DataType.FLOAT, SEED, TRAIN_EXAMPLES);
        MultiLayerNetwork network = ModelSpec.of(ModelSpec.Kind.EIGENVALUES)
                .network(Iris.FEATURES, HIDDEN, Iris.CLASSES, Activation.TANH, LEARNING_RATE, SEED);
        INDArray phiBefore = network.getParam("0_phi").dup('c');
        INDArray lambdaOutBefore = network.getParam("0_lambdaOut").dup();

        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            JavaRDD<DataSet> training = sc.parallelize(split.getTrain().asList(), WORKERS);
            SparkDl4jMultiLayer sparkNetwork = new SparkDl4jMultiLayer(sc, network,
                    SpectralSpark.parameterAveraging(WORKERS, 1, BATCH_SIZE_PER_WORKER, AVERAGING_FREQUENCY, SEED));
            long start = System.nanoTime();
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                sparkNetwork.fit(training);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            MultiLayerNetwork trained = sparkNetwork.getNetwork();
            DataSet test = split.getTest();
            Evaluation evaluation = new Evaluation(Iris.CLASSES);
            evaluation.eval(test.getLabels(), trained.output(test.getFeatures()));
            return new Result(sc.master(), seconds, evaluation.accuracy(), test.numExamples(),
                    trained.getParam("0_lambdaOut").sub(lambdaOutBefore).amaxNumber().doubleValue(),
                    Arrays.equals(trained.getParam("0_phi").dup('c').data().asFloat(), phiBefore.data().asFloat()),
                    trained);
        }
    }

    public static void main(String[] args) {
        // spark-submit passes its settings as spark.* system properties, which new SparkConf() reads.
        SparkConf conf = new SparkConf().setAppName("dl4j-spectral Iris");
        if (!conf.contains("spark.master")) {
            conf = SpectralSpark.loopback(args.length > 0 ? args[0] : "local[2]", "dl4j-spectral Iris");
        } else {
            SpectralSpark.withFastCpu(conf);
        }
        Result result = run(conf);
        System.out.printf(Locale.ROOT, "Spark master %s, %d workers, %d epochs in %.1f s%n",
                result.master(), WORKERS, EPOCHS, result.seconds());
        System.out.printf(Locale.ROOT, "test accuracy %.3f (%d flowers)%n", result.testAccuracy(),
                result.testExamples());
        System.out.printf(Locale.ROOT, "hidden layer: lambdaOut moved by up to %.3f; frozen phi bit-identical: %b%n",
                result.lambdaOutMoved(), result.phiUnchanged());
        System.out.println(SpectralSummary.of(result.trained()));
    }
}
