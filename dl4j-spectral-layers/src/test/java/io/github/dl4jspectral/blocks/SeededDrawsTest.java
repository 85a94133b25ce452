package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralLayerSupport;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralSettings;
import io.github.dl4jspectral.samediff.SameDiffSpectralDenseLayer;
import io.github.dl4jspectral.testing.Nets;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plain-Java generator of initial values, and the initialization seed in the configuration. */
class SeededDrawsTest {

    @Test
    void uniformDrawsAreSplittableRandomInRowMajorOrderWhateverTheArrayOrder() {
        SplittableRandom reference = new SplittableRandom(42);
        double[][] expected = new double[3][4];
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 4; i++) {
                expected[j][i] = -2 + 5 * reference.nextDouble();
            }
        }
        for (char order : new char[]{'c', 'f'}) {
            INDArray target = Nd4j.create(DataType.DOUBLE, new long[]{3, 4}, order);
            new SeededDraws(42).uniform(target, -2, 3);
            assertArrayEquals(expected, target.toDoubleMatrix(), "order " + order);
        }
    }

    @Test
    void normalDrawsHaveTheAskedMeanAndDeviation() {
        INDArray target = Nd4j.create(DataType.DOUBLE, 400, 500);
        new SeededDraws(7).normal(target, 0.5, 2.0);
        double[] v = target.reshape(target.length()).toDoubleVector();
        double sum = 0, sumSq = 0, third = 0;
        for (double x : v) {
            sum += x;
        }
        double mean = sum / v.length;
        for (double x : v) {
            sumSq += (x - mean) * (x - mean);
            third += Math.pow(x - mean, 3);
        }
        double sd = Math.sqrt(sumSq / v.length);
        assertEquals(0.5, mean, 4 * 2.0 / Math.sqrt(v.length));
        assertEquals(2.0, sd, 0.01);
        assertEquals(0.0, third / v.length / Math.pow(sd, 3), 0.02, "skewness");
        long beyond = java.util.Arrays.stream(v).filter(x -> Math.abs(x - 0.5) > 2 * 2.0).count();
        assertEquals(0.0455, (double) beyond / v.length, 0.003, "P(|z| > 2) of a normal");
    }

    @ParameterizedTest
    @EnumSource(value = WeightInit.class, names = {"XAVIER", "XAVIER_UNIFORM", "XAVIER_LEGACY", "RELU", "RELU_UNIFORM",
            "LECUN_NORMAL", "UNIFORM", "LECUN_UNIFORM", "SIGMOID_UNIFORM"})
    void weightInitsAreDrawnFromTheDistributionDl4jDrawsThemFrom(WeightInit weightInit) {
        IWeightInit fn = weightInit.getWeightInitFunction();
        SeededDraws.Distribution java = SeededDraws.of(fn, 300, 200).orElseThrow();
        INDArray dl4j = Nd4j.create(DataType.DOUBLE, new long[]{300, 200}, 'f');
        Nd4j.getRandom().setSeed(3);
        fn.init(300, 200, dl4j.shape(), 'f', dl4j);
        INDArray ours = Nd4j.create(DataType.DOUBLE, 300, 200);
        new SeededDraws(3).draw(ours, java);
        for (INDArray draw : new INDArray[]{dl4j, ours}) {
            assertEquals(java.meanSquare(), draw.mul(draw).meanNumber().doubleValue(), 0.03 * java.meanSquare());
            assertEquals(dl4j.maxNumber().doubleValue(), draw.maxNumber().doubleValue(),
                    java.normal() ? 0.3 * dl4j.maxNumber().doubleValue() : 0.01 * dl4j.maxNumber().doubleValue(),
                    "the same support");
        }
        assertTrue(SeededDraws.of(WeightInit.IDENTITY.getWeightInitFunction(), 3, 3).isEmpty());
    }

    private static MultiLayerConfiguration conf(long networkSeed, SpectralDenseLayer.Builder hidden) {
        return Nets.doubles(networkSeed).list()
                .layer(hidden.nOut(6).activation(Activation.TANH).build())
                .layer(new SpectralOutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(5)).build();
    }

    @Test
    void anUnsetSeedIsChosenFromTheNetworkSeedAndLayerIndexAndRecorded() {
        MultiLayerConfiguration conf = conf(17, new SpectralDenseLayer.Builder());
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (int i = 0; i < 2; i++) {
            SpectralSettings settings = ((io.github.dl4jspectral.conf.SpectralLayerConfig) net.getLayer(i).conf().getLayer())
                    .getSpectral();
            assertEquals(SpectralLayerSupport.initSeed(17, i), settings.getInitSeed(), "layer " + i);
        }
        assertNotEquals(SpectralLayerSupport.initSeed(17, 0), SpectralLayerSupport.initSeed(17, 1));
        assertNotEquals(SpectralLayerSupport.initSeed(17, 0), SpectralLayerSupport.initSeed(18, 0));
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        assertEquals(net.getLayerWiseConfigurations(), restored, "the JSON keeps initSeed");
        MultiLayerNetwork again = new MultiLayerNetwork(restored);
        again.init();
        assertArrayEquals(net.params().toDoubleVector(), again.params().toDoubleVector(), "the saved configuration "
                + "draws the same values");
    }

    @Test
    void aSetSeedDecidesTheValuesWhateverTheNetworkSeed() {
        MultiLayerNetwork a = new MultiLayerNetwork(conf(1, new SpectralDenseLayer.Builder().initSeed(99)));
        MultiLayerNetwork b = new MultiLayerNetwork(conf(2, new SpectralDenseLayer.Builder().initSeed(99)));
        a.init();
        b.init();
        assertEquals(99L, ((SpectralDenseLayer) a.getLayer(0).conf().getLayer()).getSpectral().getInitSeed());
        assertArrayEquals(a.getLayer(0).params().toDoubleVector(), b.getLayer(0).params().toDoubleVector());
        assertNotEquals(a.getLayer(1).getParam("phi"), b.getLayer(1).getParam("phi"), "the unseeded layer differs");
    }

    @Test
    void nativeAndSameDiffLayersDrawTheSameValuesFromTheSameSeed() {
        MultiLayerNetwork nat = new MultiLayerNetwork(conf(1, new SpectralDenseLayer.Builder().initSeed(5).lowRank(2)));
        MultiLayerNetwork sd = new MultiLayerNetwork(Nets.doubles(1).list()
                .layer(new SameDiffSpectralDenseLayer.Builder().initSeed(5).lowRank(2).nOut(6)
                        .activation(Activation.TANH).build())
                .layer(new SpectralOutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(5)).build());
        nat.init();
        sd.init();
        for (String key : new String[]{"phiU", "phiV", "lambdaIn", "lambdaOut", "b"}) {
            INDArray n = nat.getLayer(0).getParam(key);
            assertNotNull(n, key);
            assertArrayEquals(n.toDoubleMatrix(), sd.getLayer(0).getParam(key).toDoubleMatrix(), key);
        }
    }
}
