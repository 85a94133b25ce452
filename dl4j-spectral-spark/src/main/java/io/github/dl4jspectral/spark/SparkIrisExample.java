package io.github.dl4jspectral.spark;

import io.github.dl4jspectral.count.SpectralSummary;
import io.github.dl4jspectral.data.Iris;
import io.github.dl4jspectral.zoo.ModelSpec;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

import java.util.Arrays;
import java.util.Locale;

/**
 * A spectral network (4 - 16 tanh - 3 softmax, preset EIGENVALUES: only the eigenvalues and biases train) trained
 * on Iris with DL4J's Spark parameter averaging ({@link SparkDl4jMultiLayer}, {@link SpectralSpark#parameterAveraging}),
 * then evaluated on the driver: test accuracy, how far the eigenvalues moved, whether the frozen phi stayed
 * bit-identical, and the trainable / frozen parameter counts.
 *
 * <p>Under {@code spark-submit} the master comes from {@code --master}; run directly, the first argument is the
 * master (default {@code local[2]}, bound to 127.0.0.1):
 * {@code mvn -q -pl dl4j-spectral-spark -am compile exec:java -Dexec.args="local[2]"}.
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

    private SparkIrisExample() {
    }

    /**
     * Iris shuffled with {@code seed}, split into {@link #TRAIN_EXAMPLES} training and 45 test flowers, both
     * standardized with the training part's mean and standard deviation.
     */
    public static SplitTestAndTrain standardizedSplit(long seed) {
        DataSet iris = Iris.load(DataType.FLOAT);
        iris.shuffle(seed);
        SplitTestAndTrain split = iris.splitTestAndTrain(TRAIN_EXAMPLES);
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(split.getTrain());
        normalizer.transform(split.getTrain());
        normalizer.transform(split.getTest());
        return split;
    }

    /** Fraction of {@code data} classified correctly by {@code predictions}, a network's output for its features. */
    public static double accuracy(INDArray predictions, DataSet data) {
        Evaluation evaluation = new Evaluation(Iris.CLASSES);
        evaluation.eval(data.getLabels(), predictions);
        return evaluation.accuracy();
    }

    public static void main(String[] args) {
        // spark-submit passes its settings as spark.* system properties, which new SparkConf() reads.
        SparkConf conf = new SparkConf().setAppName("dl4j-spectral Iris");
        if (!conf.contains("spark.master")) {
            conf = SpectralSpark.loopback(args.length > 0 ? args[0] : "local[2]", "dl4j-spectral Iris");
        }
        SplitTestAndTrain split = standardizedSplit(SEED);
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
            System.out.printf(Locale.ROOT, "Spark master %s, %d workers, %d epochs in %.1f s%n",
                    sc.master(), WORKERS, EPOCHS, seconds);
            System.out.printf(Locale.ROOT, "test accuracy %.3f (%d flowers)%n",
                    accuracy(trained.output(split.getTest().getFeatures()), split.getTest()), split.getTest().numExamples());
            System.out.printf(Locale.ROOT, "hidden layer: lambdaOut moved by up to %.3f; frozen phi bit-identical: %b%n",
                    trained.getParam("0_lambdaOut").sub(lambdaOutBefore).amaxNumber().doubleValue(),
                    Arrays.equals(trained.getParam("0_phi").dup('c').data().asFloat(), phiBefore.data().asFloat()));
            System.out.println(SpectralSummary.of(trained));
        }
    }
}
