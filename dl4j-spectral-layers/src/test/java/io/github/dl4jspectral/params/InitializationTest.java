package io.github.dl4jspectral.params;

import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralInit;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/METHOD.md section 7: variance-matched default, dense-equivalent start, the papers' uniform ranges. */
class InitializationTest {

    private static final int N_IN = 400;
    private static final int N_OUT = 300;

    private static Layer initialized(long seed, WeightInit weightInit, SpectralDenseLayer.Builder layer) {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(seed).weightInit(weightInit).biasInit(0.25).list()
                .layer(layer.nOut(N_OUT).build())
                .layer(new SpectralOutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.feedForward(N_IN)).build());
        net.init();
        return net.getLayer(0);
    }

    /** W = phi .* (lambdaIn^T - lambdaOut), computed element by element. */
    private static double[][] effectiveWeights(Layer layer) {
        double[][] phi = layer.getParam("phi").toDoubleMatrix();
        double[] in = layer.getParam("lambdaIn").toDoubleVector();
        double[] out = layer.getParam("lambdaOut").toDoubleVector();
        double[][] w = new double[phi.length][phi[0].length];
        for (int j = 0; j < phi.length; j++) {
            for (int i = 0; i < phi[0].length; i++) {
                w[j][i] = phi[j][i] * (in[j] - out[i]);
            }
        }
        return w;
    }

    private static double[] meanAndVariance(double[][] w) {
        double sum = 0, sumSq = 0;
        int n = 0;
        for (double[] row : w) {
            for (double v : row) {
                sum += v;
                sumSq += v * v;
                n++;
            }
        }
        double mean = sum / n;
        return new double[]{mean, sumSq / n - mean * mean};
    }

    @ParameterizedTest
    @EnumSource(value = WeightInit.class, names = {"XAVIER", "RELU", "LECUN_NORMAL", "XAVIER_UNIFORM"})
    void defaultMatchesTheVarianceTheWeightInitGivesADenseLayer(WeightInit weightInit) {
        double expected = switch (weightInit) {
            case XAVIER, XAVIER_UNIFORM -> 2.0 / (N_IN + N_OUT);
            case RELU -> 2.0 / N_IN;
            case LECUN_NORMAL -> 1.0 / N_IN;
            default -> throw new IllegalArgumentException();
        };
        for (SpectralPreset preset : SpectralPreset.values()) {
            Layer layer = initialized(3, weightInit, new SpectralDenseLayer.Builder().preset(preset));
            double[] stats = meanAndVariance(effectiveWeights(layer));
            assertEquals(0.0, stats[0], 0.05 * Math.sqrt(expected), preset + " mean");
            assertEquals(expected, stats[1], 0.1 * expected, preset + " Var(W) for " + weightInit);
            assertEquals(0.25, layer.getParam("b").meanNumber().doubleValue(), 0.0, "biasInit");
        }
    }

    @Test
    void eigenvaluesOutPresetPinsLambdaInAtZero() {
        Layer layer = initialized(4, WeightInit.XAVIER, new SpectralDenseLayer.Builder().preset(SpectralPreset.EIGENVALUES_OUT));
        assertEquals(0.0, layer.getParam("lambdaIn").norm1Number().doubleValue());
        assertEquals(3.0 / 3, meanAndVariance(new double[][]{layer.getParam("lambdaOut").toDoubleVector()})[1], 0.2,
                "lambdaOut uniform in +-sqrt(3) has variance 1");
    }

    @Test
    void denseEquivalentStartsAsAnOrdinaryDenseLayer() {
        Layer layer = initialized(5, WeightInit.XAVIER, new SpectralDenseLayer.Builder().spectralInit(SpectralInit.denseEquivalent()));
        assertEquals(0.0, layer.getParam("lambdaIn").norm1Number().doubleValue());
        assertEquals(N_OUT, layer.getParam("lambdaOut").sumNumber().doubleValue(), 0.0);
        double[][] w = effectiveWeights(layer);
        double[][] phi = layer.getParam("phi").toDoubleMatrix();
        for (int j = 0; j < N_IN; j += 37) {
            for (int i = 0; i < N_OUT; i += 29) {
                assertEquals(-phi[j][i], w[j][i], 0.0);
            }
        }
        assertEquals(2.0 / (N_IN + N_OUT), meanAndVariance(w)[1], 0.1 * 2.0 / (N_IN + N_OUT));
    }

    @Test
    void paperInitDrawsFromTheConfiguredRanges() {
        Layer layer = initialized(6, WeightInit.XAVIER, new SpectralDenseLayer.Builder().spectralInit(SpectralInit.paper()));
        assertRange(layer.getParam("phi"), -0.2, 0.2);
        assertRange(layer.getParam("lambdaIn"), -0.5, 0.5);
        assertRange(layer.getParam("lambdaOut"), -0.5, 0.5);

        Layer custom = initialized(6, WeightInit.XAVIER, new SpectralDenseLayer.Builder()
                .spectralInit(SpectralInit.uniform(0.1, 0.3, 2, 2, -1, 0)));
        assertRange(custom.getParam("phi"), 0.1, 0.3);
        assertEquals(2.0 * N_IN, custom.getParam("lambdaIn").sumNumber().doubleValue(), 1e-9, "min == max: constant");
        assertRange(custom.getParam("lambdaOut"), -1, 0);
    }

    private static void assertRange(INDArray values, double min, double max) {
        double lo = values.minNumber().doubleValue(), hi = values.maxNumber().doubleValue();
        assertTrue(lo >= min && hi <= max, "values in [" + lo + ", " + hi + "], expected within [" + min + ", " + max + "]");
        assertTrue(hi - lo > 0.8 * (max - min), "values spread over the range, got [" + lo + ", " + hi + "]");
    }

    @Test
    void initializationIsReproducibleFromTheSeed() {
        Layer a = initialized(11, WeightInit.XAVIER, new SpectralDenseLayer.Builder());
        Layer b = initialized(11, WeightInit.XAVIER, new SpectralDenseLayer.Builder());
        Layer c = initialized(12, WeightInit.XAVIER, new SpectralDenseLayer.Builder());
        assertEquals(a.params(), b.params());
        assertNotEquals(a.params(), c.params());
    }
}
