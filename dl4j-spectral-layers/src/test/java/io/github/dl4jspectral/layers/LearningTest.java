package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.testing.IrisData;
import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A network whose maps are all spectral and train only their eigenvalues (EIGENVALUES preset) learns
 * Iris (the copy inside deeplearning4j-core): 4 -> 16 tanh -> 3 softmax, Adam 0.05, 150 full-batch
 * steps. Measured over seeds 1..3: the loss falls from 0.8-1.4 to 0.03-0.07 and training accuracy
 * reaches 0.97-0.99. A wrong sign or scale in the eigenvalue gradients makes the loss stall or rise.
 */
class LearningTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void eigenvalueOnlyNetworkLearnsIris(long seed) {
        DataSet iris = IrisData.load(DataType.DOUBLE);
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(iris);
        normalizer.transform(iris);
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(seed).updater(new Adam(0.05)).list()
                .layer(new SpectralDenseLayer.Builder().nOut(16).activation(Activation.TANH)
                        .preset(SpectralPreset.EIGENVALUES).build())
                .layer(new SpectralOutputLayer.Builder().nOut(3).preset(SpectralPreset.EIGENVALUES).build())
                .setInputType(InputType.feedForward(4)).build());
        net.init();

        double initialLoss = net.score(iris);
        for (int i = 0; i < 150; i++) {
            net.fit(iris);
        }
        double finalLoss = net.score(iris);
        Evaluation eval = new Evaluation(3);
        eval.eval(iris.getLabels(), net.output(iris.getFeatures()));
        System.out.printf("Iris seed %d: loss %.4f -> %.4f, accuracy %.4f%n", seed, initialLoss, finalLoss, eval.accuracy());

        assertTrue(finalLoss < 0.3 * initialLoss, "loss " + initialLoss + " -> " + finalLoss);
        assertTrue(eval.accuracy() > 0.9, "accuracy " + eval.accuracy() + " (chance: 0.33)");
    }
}
