package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.testing.DoublePrecision;
import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.EigenvectorBlock;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralInit;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.pruning.Pruner;
import io.github.dl4jspectral.pruning.PruningConfig;
import io.github.dl4jspectral.samediff.SameDiffSpectralDenseLayer;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.File;
import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Phys. Rev. E 2021 blocks, S-SVD ({@code phi = A diag(s) B^T}) and QR ({@code phi^T = R Q}): forward formula
 * against an independent double-precision computation, initialization, frozen factors, counts, save/restore,
 * JSON and pruning. Gradient checks, native = SameDiff and export are in {@link EigenvectorBlockTest} and
 * {@link ExportTest} with the other blocks.
 */
@ExtendWith(DoublePrecision.class)
class PaperBlocksTest {

    private static MultiLayerNetwork network(long seed, int nIn, Layer... layers) {
        var list = Nets.doubles(seed).updater(new Adam(0.05)).list();
        for (Layer l : layers) {
            list.layer(l);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.setInputType(InputType.feedForward(nIn)).build());
        net.init();
        return net;
    }

    private static double[][] matrix(INDArray a) {
        return a.toDoubleMatrix();
    }

    /** z = x W + b with W[j][i] = phi[j][i] (lambdaIn[j] - lambdaOut[i]), in plain double loops. */
    private static double[][] preActivation(double[][] x, double[][] phi, double[] lambdaIn, double[] lambdaOut, double[] b) {
        int batch = x.length, nIn = phi.length, nOut = phi[0].length;
        double[][] z = new double[batch][nOut];
        for (int n = 0; n < batch; n++) {
            for (int i = 0; i < nOut; i++) {
                double sum = b[i];
                for (int j = 0; j < nIn; j++) {
                    sum += x[n][j] * phi[j][i] * (lambdaIn[j] - lambdaOut[i]);
                }
                z[n][i] = sum;
            }
        }
        return z;
    }

    private static void assertMatrixClose(double[][] expected, INDArray actual, double tolerance, String what) {
        double[][] a = matrix(actual);
        for (int r = 0; r < expected.length; r++) {
            for (int c = 0; c < expected[0].length; c++) {
                assertEquals(expected[r][c], a[r][c], tolerance, what + " [" + r + "][" + c + "]");
            }
        }
    }

    @Test
    void svdForwardIsPhiEqualsADiagSBTransposed() {
        for (boolean sameDiff : new boolean[]{false, true}) {
            Layer hidden = sameDiff
                    ? new SameDiffSpectralDenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).preset(SpectralPreset.FULL).svd().build()
                    : new SpectralDenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).preset(SpectralPreset.FULL).svd().build();
            MultiLayerNetwork net = network(1, 6, hidden, new SpectralOutputLayer.Builder().nOut(3).build());
            net.getLayer(0).setParam("b", Nd4j.rand(DataType.DOUBLE, 1, 4));
            double[][] a = matrix(net.getParam("0_phiA")), bFactor = matrix(net.getParam("0_phiB"));
            double[] s = net.getParam("0_phiS").toDoubleVector();
            assertArrayEquals(new long[]{6, 4}, net.getParam("0_phiA").shape());
            assertArrayEquals(new long[]{1, 4}, net.getParam("0_phiS").shape());
            assertArrayEquals(new long[]{4, 4}, net.getParam("0_phiB").shape());
            double[][] phi = new double[6][4];
            for (int j = 0; j < 6; j++) {
                for (int i = 0; i < 4; i++) {
                    for (int c = 0; c < 4; c++) {
                        phi[j][i] += a[j][c] * s[c] * bFactor[i][c];
                    }
                }
            }
            INDArray x = Nets.features(DataType.DOUBLE, 3, 5, 6);
            double[][] expected = preActivation(matrix(x), phi, net.getParam("0_lambdaIn").toDoubleVector(),
                    net.getParam("0_lambdaOut").toDoubleVector(), net.getParam("0_b").toDoubleVector());
            assertMatrixClose(expected, net.feedForwardToLayer(0, x).get(1), 1e-12, "z sameDiff=" + sameDiff);
        }
    }

    @Test
    void qrStartsAsTheWeightInitsDrawWithOrthonormalRowsAndComputesPhiTransposedEqualsRQ() {
        for (boolean sameDiff : new boolean[]{false, true}) {
            Layer qr = sameDiff
                    ? new SameDiffSpectralDenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).preset(SpectralPreset.FULL).qr().build()
                    : new SpectralDenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).preset(SpectralPreset.FULL).qr().build();
            Layer dense = sameDiff
                    ? new SameDiffSpectralDenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).preset(SpectralPreset.FULL).build()
                    : new SpectralDenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).preset(SpectralPreset.FULL).build();
            MultiLayerNetwork net = network(2, 6, qr, new SpectralOutputLayer.Builder().nOut(3).qr().build());
            MultiLayerNetwork reference = network(2, 6, dense, new SpectralOutputLayer.Builder().nOut(3).build());
            INDArray q = net.getParam("0_phiQ"), r = net.getParam("0_phiR");
            assertArrayEquals(new long[]{4, 6}, q.shape());
            assertArrayEquals(new long[]{4, 4}, r.shape());
            assertMatrixClose(matrix(Nd4j.eye(4).castTo(DataType.DOUBLE)), q.mmul(q.transpose()), 1e-12, "Q Q^T = I");
            INDArray phi = q.transpose().mmul(r.transpose());
            assertMatrixClose(matrix(reference.getParam("0_phi")), phi, 1e-12, "phi = Q^T R^T = the WeightInit's draw");
            assertEquals(reference.getParam("0_lambdaIn"), net.getParam("0_lambdaIn"), "same random stream");

            INDArray x = Nets.features(DataType.DOUBLE, 4, 5, 6);
            double[][] expected = preActivation(matrix(x), matrix(phi), net.getParam("0_lambdaIn").toDoubleVector(),
                    net.getParam("0_lambdaOut").toDoubleVector(), net.getParam("0_b").toDoubleVector());
            assertMatrixClose(expected, net.feedForwardToLayer(0, x).get(1), 1e-12, "z sameDiff=" + sameDiff);
        }
    }

    /**
     * A wide QR layer initializes in memory linear in its size: ND4J M2.1's qr op, used before, allocates memory cubic
     * in the size (about 11 GB here, which killed the JVM).
     */
    @Test
    void aWideQrLayerInitializesWithOrthonormalRows() {
        MultiLayerNetwork net = network(10, 1200, new SpectralDenseLayer.Builder().nOut(1000).activation(Activation.TANH)
                .preset(SpectralPreset.FULL).qr().build(), new SpectralOutputLayer.Builder().nOut(3).build());
        INDArray q = net.getParam("0_phiQ");
        double offOrthogonality = q.mmul(q.transpose()).subi(Nd4j.eye(1000).castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(offOrthogonality < 1e-10, "max |Q Q^T - I| = " + offOrthogonality);
    }

    @Test
    void fixedFactorsStayBitIdenticalAndTheRestTrains() {
        for (EigenvectorBlock block : new EigenvectorBlock[]{EigenvectorBlock.svd(), EigenvectorBlock.qr()}) {
            for (boolean sameDiff : new boolean[]{false, true}) {
                Layer hidden = sameDiff
                        ? new SameDiffSpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH).preset(SpectralPreset.FULL).eigenvectorBlock(block).build()
                        : new SpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH).preset(SpectralPreset.FULL).eigenvectorBlock(block).build();
                MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(3).updater(new Adam(0.05)).l2(0.01).list()
                        .layer(hidden).layer(new SpectralOutputLayer.Builder().nOut(3).preset(SpectralPreset.FULL).eigenvectorBlock(block).build())
                        .setInputType(InputType.feedForward(6)).build());
                net.init();
                Map<String, INDArray> before = Nets.snapshot(net.paramTable());
                for (int i = 0; i < 10; i++) {
                    net.fit(Nets.features(DataType.DOUBLE, i, 8, 6), Nets.oneHot(DataType.DOUBLE, i, 8, 3));
                }
                for (Map.Entry<String, INDArray> e : before.entrySet()) {
                    String key = e.getKey();
                    boolean fixed = key.endsWith("phiA") || key.endsWith("phiB") || key.endsWith("phiQ");
                    if (fixed) {
                        assertEquals(e.getValue(), net.getParam(key), block + " " + key + " bit-identical, sameDiff=" + sameDiff);
                    } else {
                        assertNotEquals(e.getValue(), net.getParam(key), block + " " + key + " trains, sameDiff=" + sameDiff);
                    }
                }
                long updaterState = net.getUpdater().getStateViewArray().length();
                long trainable = ParameterCounts.of(net).trainable();
                assertEquals(2 * trainable, updaterState, block + ": Adam state for trained groups only");
            }
        }
    }

    @Test
    void trainableCountsAreLinearInTheNodesForSvd() {
        long nIn = 784, nOut = 500, k = 500;
        for (SpectralPreset preset : SpectralPreset.values()) {
            boolean phi = preset.trains(io.github.dl4jspectral.conf.SpectralParam.PHI);
            long eigen = (preset.trains(io.github.dl4jspectral.conf.SpectralParam.LAMBDA_IN) ? nIn : 0)
                    + (preset.trains(io.github.dl4jspectral.conf.SpectralParam.LAMBDA_OUT) ? nOut : 0) + nOut;
            long all = nIn + 2 * nOut;
            assertEquals(new ParameterCounts(eigen + (phi ? k : 0), all - eigen + nIn * k + nOut * k + (phi ? 0 : k)),
                    ParameterCounts.of(new SpectralDenseLayer.Builder().nIn(nIn).nOut(nOut).preset(preset).svd().build()), "SVD " + preset);
            assertEquals(new ParameterCounts(eigen + (phi ? nOut * k : 0), all - eigen + k * nIn + (phi ? 0 : nOut * k)),
                    ParameterCounts.of(new SpectralDenseLayer.Builder().nIn(nIn).nOut(nOut).preset(preset).qr().build()), "QR " + preset);
        }
    }

    @Test
    void authorsSvdInitializationAndItsContradiction() {
        MultiLayerNetwork net = network(5, 300, new SpectralDenseLayer.Builder().nOut(200).preset(SpectralPreset.FULL).svd()
                .spectralInit(SpectralInit.authorsSvd()).build(), new SpectralOutputLayer.Builder().nOut(3).build());
        assertEquals(0.0, net.getParam("0_lambdaIn").norm1Number().doubleValue(), 0, "lambdaIn = 0");
        assertEquals(200.0, net.getParam("0_lambdaOut").sumNumber().doubleValue(), 0, "lambdaOut = 1");
        INDArray s = net.getParam("0_phiS");
        assertTrue(s.minNumber().doubleValue() >= 0 && s.maxNumber().doubleValue() <= 3, "s ~ U(0, 3)");
        assertEquals(1.5, s.meanNumber().doubleValue(), 0.3);
        assertEquals(0.04, net.getParam("0_phiA").stdNumber().doubleValue(), 0.002, "A ~ N(0, 0.04)");
        assertEquals(0.04, net.getParam("0_phiB").stdNumber().doubleValue(), 0.002, "B ~ N(0, 0.04)");
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new SpectralDenseLayer.Builder().name("h").nOut(4)
                .spectralInit(SpectralInit.authorsSvd()).build(), "SpectralDenseLayer \"h\"", "authorsSvd", "expected the svd() block");
    }

    /** The authors' layer defaults: eigenvalues in +-0.97 (lambdaIn) and +-0.13 (lambdaOut); QR's phi normal(0, 0.036). */
    @Test
    void authorsEigenvalueRangesAndANormalPhiForQr() {
        MultiLayerNetwork svd = network(9, 300, new SpectralDenseLayer.Builder().nOut(200).preset(SpectralPreset.EIGENVALUES).svd()
                .spectralInit(SpectralInit.authorsSvd(-0.97, 0.97, -0.13, 0.13)).build(), new SpectralOutputLayer.Builder().nOut(3).build());
        MultiLayerNetwork qr = network(9, 300, new SpectralDenseLayer.Builder().nOut(200).preset(SpectralPreset.FULL).qr()
                .weightInit(new org.deeplearning4j.nn.weights.WeightInitDistribution(
                        new org.deeplearning4j.nn.conf.distribution.NormalDistribution(0, 0.036)))
                .spectralInit(SpectralInit.weightInitPhi(-0.97, 0.97, -0.13, 0.13)).build(), new SpectralOutputLayer.Builder().nOut(3).build());
        for (MultiLayerNetwork net : new MultiLayerNetwork[]{svd, qr}) {
            INDArray in = net.getParam("0_lambdaIn"), out = net.getParam("0_lambdaOut");
            assertTrue(in.amaxNumber().doubleValue() <= 0.97 && in.amaxNumber().doubleValue() > 0.9, "lambdaIn in +-0.97");
            assertTrue(out.amaxNumber().doubleValue() <= 0.13 && out.amaxNumber().doubleValue() > 0.12, "lambdaOut in +-0.13");
        }
        assertEquals(0.04, svd.getParam("0_phiA").stdNumber().doubleValue(), 0.002);
        INDArray phi = qr.getParam("0_phiQ").transpose().mmul(qr.getParam("0_phiR").transpose());
        assertEquals(0.036, phi.stdNumber().doubleValue(), 0.002, "phi = Q^T R^T drawn normal(0, 0.036)");
    }

    @Test
    void varianceMatchedDefaultGivesWTheWeightInitsVariance() {
        for (EigenvectorBlock block : new EigenvectorBlock[]{EigenvectorBlock.svd(), EigenvectorBlock.qr()}) {
            MultiLayerNetwork net = network(6, 400, new SpectralDenseLayer.Builder().nOut(300).weightInit(WeightInit.XAVIER)
                    .preset(SpectralPreset.FULL).eigenvectorBlock(block).build(), new SpectralOutputLayer.Builder().nOut(3).build());
            INDArray w = io.github.dl4jspectral.layers.EffectiveWeights.of(
                    (io.github.dl4jspectral.conf.SpectralLayerConfig) net.getLayer(0).conf().getLayer(), net.getLayer(0).paramTable());
            double expected = 2.0 / (400 + 300);   // Xavier: Var = 2 / (fanIn + fanOut)
            double variance = w.varNumber().doubleValue();
            assertEquals(expected, variance, 0.15 * expected, block + ": Var(W) " + variance + " vs " + expected);
        }
    }

    @Test
    void saveRestoreAndJsonAreExact(@TempDir File dir) throws IOException {
        for (EigenvectorBlock block : new EigenvectorBlock[]{EigenvectorBlock.svd(), EigenvectorBlock.qr()}) {
            MultiLayerNetwork net = network(7, 6, new SpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH)
                    .preset(SpectralPreset.FULL).eigenvectorBlock(block).build(),
                    new SpectralOutputLayer.Builder().nOut(3).eigenvectorBlock(block).build());
            net.fit(Nets.features(DataType.DOUBLE, 1, 8, 6), Nets.oneHot(DataType.DOUBLE, 1, 8, 3));
            File file = new File(dir, block.getType() + ".zip");
            ModelSerializer.writeModel(net, file, true);
            MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
            assertEquals(net.params(), restored.params());
            assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
            INDArray x = Nets.features(DataType.DOUBLE, 2, 4, 6);
            assertEquals(net.output(x), restored.output(x));
            MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
            assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()), block + " JSON round trip");
        }
    }

    /** Nodes whose outgoing weights are zero can go without changing any output, for the sliced factors too. */
    @Test
    void pruningSlicesTheFactorsExactly() {
        for (EigenvectorBlock block : new EigenvectorBlock[]{EigenvectorBlock.svd(), EigenvectorBlock.qr()}) {
            MultiLayerNetwork net = network(8, 6,
                    new SpectralDenseLayer.Builder().name("first").nOut(8).activation(Activation.TANH).preset(SpectralPreset.FULL).eigenvectorBlock(block).build(),
                    new SpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH).preset(SpectralPreset.FULL).eigenvectorBlock(block).build(),
                    new SpectralOutputLayer.Builder().nOut(3).build());
            net.fit(Nets.features(DataType.DOUBLE, 1, 8, 6), Nets.oneHot(DataType.DOUBLE, 1, 8, 3));
            int[] dead = {1, 4, 6};
            INDArray lambdaIn = net.getLayer(1).getParam("lambdaIn").dup();
            INDArray lambdaOut = net.getLayer(1).getParam("lambdaOut");
            // W[h][i] = phi[h][i] (lambdaIn[h] - lambdaOut[i]) is zero for every i when lambdaOut is constant c and
            // lambdaIn[h] = c: the dead nodes send nothing.
            net.getLayer(1).setParam("lambdaOut", Nd4j.valueArrayOf(lambdaOut.shape(), 0.7, DataType.DOUBLE));
            for (int h : dead) {
                lambdaIn.putScalar(0, h, 0.7);
            }
            net.getLayer(1).setParam("lambdaIn", lambdaIn);
            INDArray x = Nets.features(DataType.DOUBLE, 9, 10, 6);

            MultiLayerNetwork pruned = Pruner.prune(net, PruningConfig.builder().score("dead", hidden -> {
                double[] scores = new double[hidden.nodes()];
                java.util.Arrays.fill(scores, 1);
                if (hidden.name().equals("first")) {
                    for (int h : dead) {
                        scores[h] = -1;
                    }
                }
                return scores;
            }).threshold(0).build()).network();

            assertMatrixClose(matrix(net.output(x)), pruned.output(x), 1e-12, block + ": same outputs");
            assertEquals(5, pruned.getLayer(0).getParam("lambdaOut").length());
            EigenvectorBlock kept = ((SpectralDenseLayer) pruned.getLayerWiseConfigurations().getConf(0).getLayer())
                    .getSpectral().getBlock();
            assertEquals(6, kept.getRank(), block + ": the first layer keeps k = min(6, 8) = 6 after losing nodes");
            pruned.fit(Nets.features(DataType.DOUBLE, 1, 8, 6), Nets.oneHot(DataType.DOUBLE, 1, 8, 3));
        }
    }
}
