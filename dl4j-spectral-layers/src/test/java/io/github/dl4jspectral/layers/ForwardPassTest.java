package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The forward pass equals an independent double-precision computation of
 * act(x * (phi .* (lambdaIn - lambdaOut)) + b), written with plain Java arrays.
 */
class ForwardPassTest {

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        long seed = 100;
        for (SpectralPreset preset : SpectralPreset.values()) {
            for (Activation act : new Activation[]{Activation.IDENTITY, Activation.TANH, Activation.SIGMOID, Activation.RELU}) {
                for (boolean hasBias : new boolean[]{true, false}) {
                    cases.add(Arguments.of(preset, act, hasBias, seed++));
                }
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "dense {0} {1} bias={2}")
    @MethodSource("cases")
    void denseLayerMatchesReference(SpectralPreset preset, Activation act, boolean hasBias, long seed) {
        Random r = new Random(seed);
        int nIn = 1 + r.nextInt(12), nOut = 1 + r.nextInt(12), batch = 1 + r.nextInt(9);
        MultiLayerConfiguration conf = Nets.doubles(seed).list()
                .layer(new SpectralDenseLayer.Builder().nOut(nOut).activation(act).hasBias(hasBias).preset(preset).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(nIn)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        double[][][] p = randomizeSpectralParams(net.getLayer(0), r, nIn, nOut, hasBias);
        INDArray x = Nets.features(DataType.DOUBLE, seed, batch, nIn);

        INDArray y = net.feedForward(x, false).get(1);

        assertClose(reference(x.toDoubleMatrix(), p, act), y.toDoubleMatrix());
    }

    @ParameterizedTest(name = "output {0} {1} bias={2}")
    @MethodSource("cases")
    void outputLayerMatchesReference(SpectralPreset preset, Activation act, boolean hasBias, long seed) {
        Random r = new Random(seed);
        int nIn = 1 + r.nextInt(12), nOut = 1 + r.nextInt(12), batch = 1 + r.nextInt(9);
        MultiLayerConfiguration conf = Nets.doubles(seed).list()
                .layer(new SpectralOutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(nOut).activation(act)
                        .hasBias(hasBias).preset(preset).build())
                .setInputType(InputType.feedForward(nIn)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        double[][][] p = randomizeSpectralParams(net.getLayer(0), r, nIn, nOut, hasBias);
        INDArray x = Nets.features(DataType.DOUBLE, seed, batch, nIn);

        assertClose(reference(x.toDoubleMatrix(), p, act), net.output(x).toDoubleMatrix());
    }

    /** Sets phi, lambdaIn, lambdaOut (and b) to random normal values; returns {phi, {lambdaIn}, {lambdaOut}, {b}}. */
    private static double[][][] randomizeSpectralParams(Layer layer, Random r, int nIn, int nOut, boolean hasBias) {
        double[][] phi = gaussian(r, nIn, nOut);
        double[][] lambdaIn = gaussian(r, 1, nIn);
        double[][] lambdaOut = gaussian(r, 1, nOut);
        double[][] b = hasBias ? gaussian(r, 1, nOut) : new double[1][nOut];
        layer.setParam("phi", Nd4j.create(phi));
        layer.setParam("lambdaIn", Nd4j.create(lambdaIn));
        layer.setParam("lambdaOut", Nd4j.create(lambdaOut));
        if (hasBias) {
            layer.setParam("b", Nd4j.create(b));
        }
        assertEquals(phi[0][nOut - 1], layer.getParam("phi").getDouble(0, nOut - 1), 0.0, "phi written in place");
        return new double[][][]{phi, lambdaIn, lambdaOut, b};
    }

    private static double[][] reference(double[][] x, double[][][] p, Activation act) {
        double[][] phi = p[0];
        double[] lambdaIn = p[1][0], lambdaOut = p[2][0], b = p[3][0];
        int nIn = phi.length, nOut = phi[0].length;
        double[][] y = new double[x.length][nOut];
        for (int n = 0; n < x.length; n++) {
            for (int i = 0; i < nOut; i++) {
                double z = b[i];
                for (int j = 0; j < nIn; j++) {
                    z += x[n][j] * phi[j][i] * (lambdaIn[j] - lambdaOut[i]);
                }
                y[n][i] = switch (act) {
                    case IDENTITY -> z;
                    case TANH -> Math.tanh(z);
                    case SIGMOID -> 1 / (1 + Math.exp(-z));
                    case RELU -> Math.max(0, z);
                    default -> throw new IllegalArgumentException(act.name());
                };
            }
        }
        return y;
    }

    private static double[][] gaussian(Random r, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int i = 0; i < cols; i++) {
                row[i] = r.nextGaussian();
            }
        }
        return a;
    }

    private static void assertClose(double[][] expected, double[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int n = 0; n < expected.length; n++) {
            assertEquals(expected[n].length, actual[n].length);
            for (int i = 0; i < expected[n].length; i++) {
                assertEquals(expected[n][i], actual[n][i], 1e-12 * Math.max(1, Math.abs(expected[n][i])),
                        "row " + n + " column " + i);
            }
        }
    }
}
