package io.github.dl4jspectral.examples;

import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.count.SpectralSummary;
import io.github.dl4jspectral.data.Iris;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.learning.config.Adam;

import java.util.List;

/**
 * The demo: a DenseLayer network and spectral networks side by side on Iris (4 - 32 tanh - 3 softmax),
 * same data split, seed and number of full-batch Adam steps, printing test accuracy and the numbers
 * of trainable and frozen parameters.
 *
 * <p>Run: {@code mvn -q -pl dl4j-spectral-examples -am compile exec:java}
 */
public final class IrisComparison {

    private static final long SEED = 42;
    private static final int HIDDEN = 32;
    private static final int STEPS = 300;

    /** One trained model's figures. */
    record Result(String model, double testAccuracy, ParameterCounts counts, long trainMillis) {
    }

    public static void main(String[] args) {
        DataSet iris = Iris.load(DataType.FLOAT);
        iris.shuffle(SEED);
        SplitTestAndTrain split = iris.splitTestAndTrain(105);
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(split.getTrain());
        normalizer.transform(split.getTrain());
        normalizer.transform(split.getTest());

        // Eigenvalue-only training wants a larger learning rate than training every weight.
        List<Result> results = List.of(
                train("DenseLayer (conventional)", dense(0.01), split),
                train("Spectral EIGENVALUES_OUT", spectral(SpectralPreset.EIGENVALUES_OUT, 0.05), split),
                train("Spectral EIGENVALUES", spectral(SpectralPreset.EIGENVALUES, 0.05), split),
                train("Spectral FULL", spectral(SpectralPreset.FULL, 0.01), split));

        System.out.printf("%nIris, 4-%d-3, %d full-batch Adam steps, %d train / %d test examples, seed %d%n%n",
                HIDDEN, STEPS, split.getTrain().numExamples(), split.getTest().numExamples(), SEED);
        System.out.printf("%-28s %14s %12s %10s %10s%n", "model", "test accuracy", "trainable", "frozen", "train ms");
        for (Result r : results) {
            System.out.printf("%-28s %14.3f %12d %10d %10d%n", r.model(), r.testAccuracy(), r.counts().trainable(),
                    r.counts().frozen(), r.trainMillis());
        }
        MultiLayerNetwork example = new MultiLayerNetwork(spectral(SpectralPreset.EIGENVALUES, 0.05));
        example.init();
        System.out.printf("%nThe EIGENVALUES network, layer by layer:%n%s", SpectralSummary.of(example));
    }

    private static MultiLayerConfiguration dense(double learningRate) {
        return global(learningRate).list()
                .layer(new DenseLayer.Builder().nOut(HIDDEN).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().nOut(Iris.CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(Iris.FEATURES)).build();
    }

    private static MultiLayerConfiguration spectral(SpectralPreset preset, double learningRate) {
        return global(learningRate).list()
                .layer(new SpectralDenseLayer.Builder().nOut(HIDDEN).activation(Activation.TANH).preset(preset).build())
                .layer(new SpectralOutputLayer.Builder().nOut(Iris.CLASSES).activation(Activation.SOFTMAX)
                        .preset(preset).build())
                .setInputType(InputType.feedForward(Iris.FEATURES)).build();
    }

    private static NeuralNetConfiguration.Builder global(double learningRate) {
        return new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(learningRate));
    }

    private static Result train(String model, MultiLayerConfiguration conf, SplitTestAndTrain split) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        long start = System.nanoTime();
        for (int i = 0; i < STEPS; i++) {
            net.fit(split.getTrain());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        double accuracy = net.evaluate(new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(
                split.getTest().asList(), split.getTest().numExamples())).accuracy();
        return new Result(model, accuracy, ParameterCounts.of(net), millis);
    }
}
