package io.github.dl4jspectral.samediff;

import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.samediff.SameDiffSpectralDenseLayer;
import io.github.dl4jspectral.samediff.SpectralOps;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spectral op in a user's own SameDiff graph: documented names, frozen constants, training on Iris. */
class SpectralOpsTest {

    private static SameDiffSpectralDenseLayer layer(int nOut, Activation act, SpectralPreset preset) {
        return new SameDiffSpectralDenseLayer.Builder().nOut(nOut).activation(act).preset(preset).build();
    }

    /**
     * W = phi * D with D in either form (broadcast subtraction, rank-2 product [lambdaIn; -1]^T [1; lambdaOut]): in
     * float, bit for bit phi * (lambdaIn^T - lambdaOut) computed element by element in Java.
     */
    @Test
    void bothFormsOfTheDifferencesGiveTheElementwiseWeightsBitForBit() {
        Nd4j.getRandom().setSeed(11);
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder("input", DataType.FLOAT, -1, 7);
        SpectralOps.dense(sd, "h", input, layer(5, Activation.TANH, SpectralPreset.FULL));
        float[][] phi = sd.getVariable("h/phi").getArr().toFloatMatrix();
        float[] lambdaIn = sd.getVariable("h/lambdaIn").getArr().toFloatVector();
        float[] lambdaOut = sd.getVariable("h/lambdaOut").getArr().toFloatVector();
        for (boolean product : new boolean[]{false, true}) {
            SDVariable d = SpectralGraph.differences(sd, sd.getVariable("h/lambdaIn"), sd.getVariable("h/lambdaOut"), 7, 5,
                    DataType.FLOAT, product);
            float[][] actual = sd.getVariable("h/phi").mul(d).eval().toFloatMatrix();
            for (int j = 0; j < 7; j++) {
                for (int i = 0; i < 5; i++) {
                    float expected = phi[j][i] * (lambdaIn[j] - lambdaOut[i]);
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual[j][i]),
                            "product form " + product + ": W[" + j + "][" + i + "] = " + actual[j][i] + "; expected "
                                    + expected);
                }
            }
        }
    }

    /**
     * The gradient SameDiff derives through either form of D: for L = sum(W * R), dL/dlambdaIn[j] = sum_i phi[j][i]
     * R[j][i] and dL/dlambdaOut[i] = -sum_j phi[j][i] R[j][i], computed independently in double.
     */
    @Test
    void bothFormsOfTheDifferencesGiveTheEigenvalueGradients() {
        int nIn = 7;
        int nOut = 5;
        Nd4j.getRandom().setSeed(12);
        INDArray phiValues = Nd4j.rand(DataType.DOUBLE, nIn, nOut).subi(0.5);
        INDArray r = Nd4j.rand(DataType.DOUBLE, nIn, nOut).subi(0.5);
        double[][] phi = phiValues.toDoubleMatrix();
        double[][] weights = r.toDoubleMatrix();
        double[] expectedIn = new double[nIn];
        double[] expectedOut = new double[nOut];
        for (int j = 0; j < nIn; j++) {
            for (int i = 0; i < nOut; i++) {
                expectedIn[j] += phi[j][i] * weights[j][i];
                expectedOut[i] -= phi[j][i] * weights[j][i];
            }
        }
        for (boolean product : new boolean[]{false, true}) {
            SameDiff sd = SameDiff.create();
            SDVariable lambdaIn = sd.var("lambdaIn", Nd4j.rand(DataType.DOUBLE, 1, nIn));
            SDVariable lambdaOut = sd.var("lambdaOut", Nd4j.rand(DataType.DOUBLE, 1, nOut));
            SDVariable d = SpectralGraph.differences(sd, lambdaIn, lambdaOut, nIn, nOut, DataType.DOUBLE, product);
            SDVariable loss = sd.constant(phiValues).mul(d).mul(sd.constant(r)).sum();
            sd.setLossVariables(loss.name());
            QuietGradientFunction.create(sd);
            Map<String, INDArray> gradients = sd.calculateGradients(Map.of(), List.of("lambdaIn", "lambdaOut"));
            assertArrayEquals(expectedIn, gradients.get("lambdaIn").toDoubleVector(), 1e-12, "product form " + product);
            assertArrayEquals(expectedOut, gradients.get("lambdaOut").toDoubleVector(), 1e-12, "product form " + product);
        }
    }

    /**
     * The weights use the broadcast subtraction below {@link SpectralGraph#PRODUCT_FORM_FROM} elements and the
     * rank-2 product from it on: the gradient function has subtract_bp in the first case and matmul_bp (and no
     * subtract_bp) in the second.
     */
    @Test
    void theWeightsWriteTheDifferencesAsAProductFromTheThresholdOn() {
        // {nIn, nOut, 1 if the product form is expected}: one element below the threshold, and exactly at it
        int[][] cases = {{1023, 1025, 0}, {1024, 1024, 1}};
        for (int[] c : cases) {
            boolean product = c[2] == 1;
            SameDiffSpectralDenseLayer spec = (SameDiffSpectralDenseLayer) layer(c[1], Activation.TANH,
                    SpectralPreset.FULL);
            spec.setNIn(c[0]);
            SameDiff sd = SameDiff.create();
            Map<String, SDVariable> params = Map.of("phi", sd.var("phi", DataType.FLOAT, c[0], c[1]),
                    "lambdaIn", sd.var("lambdaIn", DataType.FLOAT, 1, c[0]),
                    "lambdaOut", sd.var("lambdaOut", DataType.FLOAT, 1, c[1]));
            SDVariable w = SpectralGraph.weights(sd, params, spec, DataType.FLOAT);
            sd.setLossVariables(w.sum().name());
            QuietGradientFunction.create(sd);
            List<String> ops = Arrays.stream(sd.getFunction("grad").ops()).map(op -> op.opName()).toList();
            String where = c[0] + " x " + c[1] + ": gradient ops " + ops;
            assertEquals(product, ops.contains("matmul_bp"), where);
            assertEquals(!product, ops.contains("subtract_bp"), where);
        }
        assertEquals(1024L * 1024, SpectralGraph.PRODUCT_FORM_FROM, "the cases straddle the threshold");
    }

    @Test
    void smallSpectralModelTrainsOnIris() {
        DataSet iris = Nets.standardizedIris(3);
        Nd4j.getRandom().setSeed(3);

        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder("input", DataType.DOUBLE, -1, 4);
        SDVariable label = sd.placeHolder("label", DataType.DOUBLE, -1, 3);
        SDVariable hidden = SpectralOps.dense(sd, "hidden", input, layer(16, Activation.TANH, SpectralPreset.EIGENVALUES));
        SDVariable logits = SpectralOps.dense(sd, "out", hidden, new SameDiffSpectralDenseLayer.Builder()
                .nIn(16).nOut(3).activation(Activation.IDENTITY).preset(SpectralPreset.EIGENVALUES).build());
        SDVariable probabilities = sd.nn().softmax("probabilities", logits);
        sd.loss().softmaxCrossEntropy("loss", label, logits, null);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(0.05))
                .dataSetFeatureMapping("input").dataSetLabelMapping("label").build());

        assertEquals("hidden/out", hidden.name());
        assertEquals(VariableType.VARIABLE, sd.getVariable("hidden/lambdaIn").getVariableType());
        assertEquals(VariableType.VARIABLE, sd.getVariable("hidden/lambdaOut").getVariableType());
        assertEquals(VariableType.VARIABLE, sd.getVariable("hidden/b").getVariableType());
        assertEquals(VariableType.CONSTANT, sd.getVariable("hidden/phi").getVariableType(), "frozen phi is a constant");
        assertArrayEquals(new long[]{4, 16}, sd.getVariable("hidden/phi").getArr().shape());
        assertArrayEquals(new long[]{1, 16}, sd.getVariable("out/lambdaIn").getArr().shape());
        INDArray phiBefore = sd.getVariable("hidden/phi").getArr().dup();
        INDArray lambdaInBefore = sd.getVariable("hidden/lambdaIn").getArr().dup();

        Map<String, INDArray> all = Map.of("input", iris.getFeatures(), "label", iris.getLabels());
        double before = sd.outputSingle(all, "loss").getDouble(0);
        QuietGradientFunction.create(sd);   // what fit would create, without ND4J's line per op on System.out
        sd.fit(new ListDataSetIterator<>(iris.asList(), 150), 150);
        double after = sd.outputSingle(all, "loss").getDouble(0);
        INDArray predicted = sd.outputSingle(Map.of("input", iris.getFeatures()), probabilities.name()).argMax(1);
        double accuracy = predicted.eq(iris.getLabels().argMax(1)).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        System.out.printf("SameDiff graph op on Iris: loss %.4f -> %.4f, accuracy %.3f%n", before, after, accuracy);

        assertTrue(after < 0.3 * before, "loss " + before + " -> " + after);
        assertTrue(accuracy > 0.9, "accuracy " + accuracy);
        assertEquals(phiBefore, sd.getVariable("hidden/phi").getArr(), "frozen phi bit-identical");
        assertNotEquals(lambdaInBefore, sd.getVariable("hidden/lambdaIn").getArr());
    }

    @Test
    void eigenvaluesOutPresetMakesLambdaInAZeroConstant() {
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder("x", DataType.DOUBLE, -1, 3);
        SpectralOps.dense(sd, "s", input, layer(2, Activation.TANH, SpectralPreset.EIGENVALUES_OUT));
        assertEquals(VariableType.CONSTANT, sd.getVariable("s/lambdaIn").getVariableType());
        assertEquals(0.0, sd.getVariable("s/lambdaIn").getArr().norm1Number().doubleValue());
        assertEquals(VariableType.VARIABLE, sd.getVariable("s/lambdaOut").getVariableType());
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        var wrongNIn = new SameDiffSpectralDenseLayer.Builder().name("h").nIn(5).nOut(2).activation(Activation.TANH).build();
        var e = assertThrows(DL4JInvalidConfigException.class, () -> SpectralOps.dense(sd, "h", input, wrongNIn));
        assertTrue(e.getMessage().contains("input width 3") && e.getMessage().contains("nIn = 5"), e.getMessage());

        var noActivation = new SameDiffSpectralDenseLayer.Builder().nOut(2).build();
        e = assertThrows(DL4JInvalidConfigException.class, () -> SpectralOps.dense(sd, "h", input, noActivation));
        assertTrue(e.getMessage().contains("activation not set"), e.getMessage());

        SpectralOps.dense(sd, "h", input, layer(2, Activation.TANH, SpectralPreset.FULL));
        assertThrows(IllegalArgumentException.class, () -> SpectralOps.dense(sd, "h", input, layer(2, Activation.TANH, SpectralPreset.FULL)));
    }

    @Test
    void configurationsTheLayersRejectAreRejectedOnceNInIsKnown() {
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder("x", DataType.FLOAT, -1, 4);
        var tooHighRank = new SameDiffSpectralDenseLayer.Builder().name("h").nOut(6).lowRank(5)
                .activation(Activation.TANH).build();   // nIn unknown when built: min(?, 6) admits r = 5

        var e = assertThrows(DL4JInvalidConfigException.class, () -> SpectralOps.dense(sd, "h", input, tooHighRank));
        assertTrue(e.getMessage().startsWith("SameDiffSpectralDenseLayer \"h\" in SameDiff graph \"h\": lowRank r = 5; "
                + "expected 1 <= r <= min(nIn, nOut) = 4"), e.getMessage());
        assertFalse(sd.hasVariable("h/phiU"), "nothing added to the graph");

        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(1).list().layer(tooHighRank)
                .layer(new SpectralOutputLayer.Builder().nOut(2).build()).setInputType(InputType.feedForward(4)).build());
        var inNetwork = assertThrows(DL4JInvalidConfigException.class, net::init);
        String problem = "lowRank r = 5; expected 1 <= r <= min(nIn, nOut) = 4";
        assertTrue(inNetwork.getMessage().contains(problem), "the layer in a network says the same: " + inNetwork.getMessage());

        SpectralOps.dense(sd, "ok", input, new SameDiffSpectralDenseLayer.Builder().nOut(6).lowRank(4)
                .activation(Activation.TANH).build());
        assertArrayEquals(new long[]{4, 4}, sd.getVariable("ok/phiU").getArr().shape());
    }
}
