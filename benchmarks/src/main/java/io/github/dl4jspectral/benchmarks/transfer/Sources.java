package io.github.dl4jspectral.benchmarks.transfer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The conventional networks both experiments start from: per seed, a plain 784-h-h-classes DenseLayer network (ReLU,
 * softmax, Adam 1e-3) trained on the source task, built and trained once and shared (callers must not modify it).
 */
final class Sources {

    static final double LEARNING_RATE = 1e-3;

    private final TransferSettings settings;
    private final DigitTask training;
    private final DigitTask test;
    private final PrintStream out;
    private final Map<Long, MultiLayerNetwork> trained = new HashMap<>();

    Sources(TransferSettings settings, DigitTask training, DigitTask test, PrintStream out) {
        this.settings = settings;
        this.training = training;
        this.test = test;
        this.out = out;
    }

    DigitTask test() {
        return test;
    }

    DigitTask training() {
        return training;
    }

    /** The trained source network of {@code seed}. */
    MultiLayerNetwork source(long seed) {
        return trained.computeIfAbsent(seed, this::train);
    }

    /** A fresh plain network of the source's shape, initialized from {@code seed}. */
    static MultiLayerNetwork plain(int pixels, int hidden, int classes, double learningRate, long seed) {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).updater(new Adam(learningRate)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(pixels).nOut(hidden).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(hidden).nOut(hidden).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build());
        network.init();
        return network;
    }

    private MultiLayerNetwork train(long seed) {
        MultiLayerNetwork network = plain((int) training.features().columns(), settings.hidden(), training.classes(),
                LEARNING_RATE, seed);
        double seconds = 0;
        for (int e = 0; e < settings.sourceEpochs(); e++) {
            seconds += training.fitEpoch(network, settings.batch(), seed * 1000 + 500 + e);
        }
        out.printf(Locale.ROOT, "  [source] seed %d: %d epochs, test accuracy on the source task %.4f (%.1f s/epoch)%n",
                seed, settings.sourceEpochs(), test.accuracy(network), seconds / settings.sourceEpochs());
        return network;
    }
}
