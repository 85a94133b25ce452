package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Dropout, weight noise and masks behave as in DL4J's DenseLayer: a spectral network and a DenseLayer
 * network whose W is set to phi .* (lambdaIn^T - lambdaOut) give the same outputs in training mode
 * (same random draws) and with per-example masks, and gradients related by the chain rule.
 */
class DenseEquivalenceTest {

    private static final int N_IN = 6, N_OUT = 5, CLASSES = 3, BATCH = 8;

    private static MultiLayerNetwork network(FeedForwardLayer.Builder<?> hidden) {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(21).updater(new NoOp()).list()
                .layer(hidden.nOut(N_OUT).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(N_IN)).build());
        net.init();
        return net;
    }

    /** A DenseLayer network computing exactly what {@code spectral} computes. */
    private static MultiLayerNetwork denseTwin(MultiLayerNetwork spectral, DenseLayer.Builder hidden) {
        MultiLayerNetwork dense = network(hidden);
        dense.setParam("0_W", weights(spectral));
        dense.setParam("0_b", spectral.getParam("0_b"));
        dense.setParam("1_W", spectral.getParam("1_W"));
        dense.setParam("1_b", spectral.getParam("1_b"));
        return dense;
    }

    private static INDArray weights(MultiLayerNetwork spectral) {
        INDArray difference = spectral.getParam("0_lambdaIn").transpose()
                .sub(spectral.getParam("0_lambdaOut").broadcast(N_IN, N_OUT));
        return spectral.getParam("0_phi").mul(difference);
    }

    @Test
    void dropoutAndDropConnectDrawTheSameMasksAsDenseLayer() {
        MultiLayerNetwork spectral = network(new SpectralDenseLayer.Builder().preset(SpectralPreset.FULL)
                .dropOut(0.7).weightNoise(new DropConnect(0.8)));
        MultiLayerNetwork dense = denseTwin(spectral, new DenseLayer.Builder().dropOut(0.7).weightNoise(new DropConnect(0.8)));
        INDArray x = Nets.features(DataType.DOUBLE, 1, BATCH, N_IN);

        Nd4j.getRandom().setSeed(77);
        INDArray spectralTraining = spectral.feedForward(x, true).get(2);
        Nd4j.getRandom().setSeed(77);
        INDArray denseTraining = dense.feedForward(x, true).get(2);

        assertClose(denseTraining, spectralTraining);
        assertClose(dense.output(x), spectral.output(x));
        assertNotEquals(spectral.output(x), spectralTraining, "dropout acts in training only");
    }

    @Test
    void masksAndDropoutInTheBackwardPassMatchDenseLayer() {
        MultiLayerNetwork spectral = network(new SpectralDenseLayer.Builder().preset(SpectralPreset.FULL).dropOut(0.6));
        MultiLayerNetwork dense = denseTwin(spectral, new DenseLayer.Builder().dropOut(0.6));
        INDArray x = Nets.features(DataType.DOUBLE, 2, BATCH, N_IN);
        INDArray y = Nets.oneHot(DataType.DOUBLE, 2, BATCH, CLASSES);
        INDArray mask = Nd4j.create(new double[]{1, 0, 1, 1, 0, 1, 1, 1}, BATCH, 1);

        assertClose(dense.output(x, false, mask, null), spectral.output(x, false, mask, null));
        assertNotEquals(spectral.output(x), spectral.output(x, false, mask, null), "the mask acts");

        for (MultiLayerNetwork net : new MultiLayerNetwork[]{spectral, dense}) {
            net.setInput(x);
            net.setLabels(y);
            net.setLayerMaskArrays(mask, mask);
            Nd4j.getRandom().setSeed(5);
            net.computeGradientAndScore();
        }
        assertEquals(dense.score(), spectral.score(), 1e-12);
        INDArray g = dense.gradient().getGradientFor("0_W");  // dL/dW
        INDArray phi = spectral.getParam("0_phi");
        INDArray difference = spectral.getParam("0_lambdaIn").transpose()
                .sub(spectral.getParam("0_lambdaOut").broadcast(N_IN, N_OUT));
        assertClose(g.mul(difference), spectral.gradient().getGradientFor("0_phi"));
        assertClose(g.mul(phi).sum(1).reshape(1, N_IN), spectral.gradient().getGradientFor("0_lambdaIn"));
        assertClose(g.mul(phi).sum(0).neg().reshape(1, N_OUT), spectral.gradient().getGradientFor("0_lambdaOut"));
        assertClose(dense.gradient().getGradientFor("0_b"), spectral.gradient().getGradientFor("0_b"));
        assertClose(dense.gradient().getGradientFor("1_W"), spectral.gradient().getGradientFor("1_W"));
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        assertEquals(expected.length(), actual.length());
        double[] e = expected.reshape(expected.length()).toDoubleVector();
        double[] a = actual.reshape(actual.length()).toDoubleVector();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-12 * Math.max(1, Math.abs(e[i])), "element " + i);
        }
    }
}
