package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.testing.DoublePrecision;
import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.EigenvectorBlock;
import io.github.dl4jspectral.conf.SparseDenseLayer;
import io.github.dl4jspectral.conf.SparseSupport;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.samediff.SameDiffSpectralDenseLayer;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LOW_RANK, SPARSE, SVD and QR eigenvector blocks (docs/METHOD.md sections 3 and 4), native and SameDiff, and the sparse baseline. */
@ExtendWith(DoublePrecision.class)
class EigenvectorBlockTest {

    private static final EigenvectorBlock LOW_RANK = EigenvectorBlock.lowRank(2);
    private static final EigenvectorBlock SPARSE = EigenvectorBlock.sparse(0.5, 17);
    private static final EigenvectorBlock SVD = EigenvectorBlock.svd();
    private static final EigenvectorBlock QR = EigenvectorBlock.qr();


    static Stream<Arguments> blocksAndPresets() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (EigenvectorBlock block : new EigenvectorBlock[]{LOW_RANK, SPARSE, SVD, QR}) {
            for (SpectralPreset preset : SpectralPreset.values()) {
                cases.add(Arguments.of(block, preset));
            }
        }
        return cases.build();
    }

    /** [DenseLayer 4->6 tanh, spectral 6->5 tanh, output 5->3]; the native variant's output layer is spectral too. */
    private static Layer[] layers(EigenvectorBlock block, SpectralPreset preset, boolean sameDiff) {
        Layer hidden = sameDiff
                ? new SameDiffSpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH).preset(preset).eigenvectorBlock(block).build()
                : new SpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH).preset(preset).eigenvectorBlock(block).build();
        Layer output = sameDiff
                ? new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build()
                : new SpectralOutputLayer.Builder().nOut(3).preset(preset).eigenvectorBlock(block).build();
        return new Layer[]{new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build(), hidden, output};
    }

    private static MultiLayerNetwork network(NeuralNetConfiguration.Builder global, Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = global.list();
        for (Layer l : layers) {
            list.layer(l);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.setInputType(InputType.feedForward(4)).build());
        net.init();
        return net;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("blocksAndPresets")
    void gradientChecksPassNativeAndSameDiffInMlnAndCg(EigenvectorBlock block, SpectralPreset preset) {
        INDArray x = Nets.features(DataType.DOUBLE, 1, 6, 4);
        INDArray y = Nets.oneHot(DataType.DOUBLE, 1, 6, 3);
        for (boolean sameDiff : new boolean[]{false, true}) {
            MultiLayerNetwork mln = network(Nets.doubles(3).updater(new NoOp()), layers(block, preset, sameDiff));
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(mln).input(x).labels(y)
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).excludeParams(Nets.frozenKeys(mln))
                    .exitOnFirstError(true)), "MLN sameDiff=" + sameDiff);

            ComputationGraphConfiguration.GraphBuilder g = Nets.doubles(3).updater(new NoOp()).graphBuilder().addInputs("in");
            Layer[] layers = layers(block, preset, sameDiff);
            String previous = "in";
            for (int i = 0; i < layers.length; i++) {
                g.addLayer("l" + i, layers[i], previous);
                previous = "l" + i;
            }
            ComputationGraph cg = new ComputationGraph(g.setOutputs(previous).setInputTypes(InputType.feedForward(4)).build());
            cg.init();
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(cg)
                    .inputs(new INDArray[]{x}).labels(new INDArray[]{y})
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).excludeParams(Nets.frozenKeys(cg))
                    .exitOnFirstError(true)), "CG sameDiff=" + sameDiff);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("blocksAndPresets")
    void nativeAndSameDiffGiveTheSameOutputsAndGradients(EigenvectorBlock block, SpectralPreset preset) {
        Layer plainOutput = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build();
        Layer[] nativeLayers = layers(block, preset, false);
        nativeLayers[2] = plainOutput;
        MultiLayerNetwork nativeNet = network(Nets.doubles(5).updater(new NoOp()), nativeLayers);
        MultiLayerNetwork sameDiffNet = network(Nets.doubles(6).updater(new NoOp()), layers(block, preset, true));
        for (Map.Entry<String, INDArray> e : nativeNet.paramTable().entrySet()) {
            sameDiffNet.setParam(e.getKey(), e.getValue());
        }
        INDArray x = Nets.features(DataType.DOUBLE, 2, 7, 4);
        INDArray y = Nets.oneHot(DataType.DOUBLE, 2, 7, 3);
        Nets.assertClose(nativeNet.output(x), sameDiffNet.output(x), "output");
        for (MultiLayerNetwork net : new MultiLayerNetwork[]{nativeNet, sameDiffNet}) {
            net.setInput(x);
            net.setLabels(y);
            net.computeGradientAndScore();
        }
        assertEquals(nativeNet.score(), sameDiffNet.score(), 1e-10 * nativeNet.score());
        for (String key : nativeNet.paramTable().keySet()) {
            Nets.assertClose(nativeNet.gradient().getGradientFor(key), sameDiffNet.gradient().getGradientFor(key), key);
        }
    }

    @Test
    void lowRankEqualsADenseLayerWhosePhiIsUVTransposed() {
        MultiLayerNetwork lowRank = network(Nets.doubles(7).updater(new NoOp()),
                new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build(),
                new SpectralDenseLayer.Builder().nOut(5).activation(Activation.SIGMOID).preset(SpectralPreset.FULL).lowRank(3).build(),
                new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build());
        MultiLayerNetwork dense = network(Nets.doubles(8).updater(new NoOp()),
                new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build(),
                new SpectralDenseLayer.Builder().nOut(5).activation(Activation.SIGMOID).preset(SpectralPreset.FULL).build(),
                new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build());
        INDArray u = lowRank.getParam("1_phiU");
        INDArray v = lowRank.getParam("1_phiV");
        for (Map.Entry<String, INDArray> e : lowRank.paramTable().entrySet()) {
            if (!e.getKey().startsWith("1_phi")) {
                dense.setParam(e.getKey(), e.getValue());
            }
        }
        dense.setParam("1_phi", u.mmul(v.transpose()));
        INDArray x = Nets.features(DataType.DOUBLE, 3, 9, 4);
        INDArray y = Nets.oneHot(DataType.DOUBLE, 3, 9, 3);

        Nets.assertClose(dense.output(x), lowRank.output(x), "output");
        for (MultiLayerNetwork net : new MultiLayerNetwork[]{lowRank, dense}) {
            net.setInput(x);
            net.setLabels(y);
            net.computeGradientAndScore();
        }
        INDArray dPhi = dense.gradient().getGradientFor("1_phi");
        Nets.assertClose(dPhi.mmul(v), lowRank.gradient().getGradientFor("1_phiU"), "dL/dU = dL/dphi V");
        Nets.assertClose(dPhi.transpose().mmul(u), lowRank.gradient().getGradientFor("1_phiV"), "dL/dV = dL/dphi^T U");
        for (String key : new String[]{"0_W", "0_b", "1_lambdaIn", "1_lambdaOut", "1_b", "2_W"}) {
            Nets.assertClose(dense.gradient().getGradientFor(key), lowRank.gradient().getGradientFor(key), key);
        }
    }

    @Test
    void lowRankNeverBuildsTheFullMatrix() {
        int n = 100_000; // a full 100,000 x 100,000 matrix would need 40 GB
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Adam(1e-3)).list()
                .layer(new SpectralDenseLayer.Builder().nOut(n).activation(Activation.TANH).preset(SpectralPreset.FULL).lowRank(2).build())
                .layer(new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(n)).build());
        net.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, n);
        INDArray y = Nd4j.create(new float[][]{{1, 0}, {0, 1}});
        INDArray before = net.getParam("0_phiU").dup();
        net.fit(x, y);
        assertNotEquals(before, net.getParam("0_phiU"));
        assertArrayEquals(new long[]{2, 2}, net.output(x).shape());
    }

    @Test
    void sparseSupportIsReproducibleFromTheSeed() {
        INDArray a = SparseSupport.mask(40, 30, 0.2, 99, DataType.DOUBLE);
        assertEquals(a, SparseSupport.mask(40, 30, 0.2, 99, DataType.DOUBLE));
        assertNotEquals(a, SparseSupport.mask(40, 30, 0.2, 100, DataType.DOUBLE));
        assertEquals(SparseSupport.count(40, 30, 0.2, 99), a.sumNumber().longValue());
        assertEquals(0.2, a.meanNumber().doubleValue(), 0.04);
    }

    private static MultiLayerNetwork sparseNetwork(boolean sameDiff, SpectralPreset preset) {
        Layer hidden = sameDiff
                ? new SameDiffSpectralDenseLayer.Builder().nOut(8).activation(Activation.TANH).preset(preset).sparse(0.3, 5).build()
                : new SpectralDenseLayer.Builder().nOut(8).activation(Activation.TANH).preset(preset).sparse(0.3, 5)
                        .weightNoise(new DropConnect(0.9)).build();
        return network(Nets.doubles(9).updater(new Adam(0.05)).l2(0.01), hidden,
                new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build());
    }

    @Test
    void sparseEntriesStayExactlyZeroThroughTrainingAndSaving(@TempDir File dir) throws IOException {
        INDArray outside = SparseSupport.mask(4, 8, 0.3, 5, DataType.DOUBLE).rsub(1.0);
        for (boolean sameDiff : new boolean[]{false, true}) {
            MultiLayerNetwork net = sparseNetwork(sameDiff, SpectralPreset.FULL);
            INDArray phiBefore = net.getParam("0_phi").dup();
            for (int i = 0; i < 5; i++) {
                net.fit(Nets.features(DataType.DOUBLE, i, 10, 4), Nets.oneHot(DataType.DOUBLE, i, 10, 3));
            }
            assertEquals(0.0, net.getParam("0_phi").mul(outside).norm1Number().doubleValue(), "phi outside the support");
            assertEquals(0.0, net.gradient().getGradientFor("0_phi").mul(outside).norm1Number().doubleValue(), "masked gradient");
            assertNotEquals(phiBefore, net.getParam("0_phi"), "phi inside the support trains");

            File file = new File(dir, "sparse-" + sameDiff + ".zip");
            ModelSerializer.writeModel(net, file, true);
            MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
            assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
            assertEquals(net.getLayerWiseConfigurations(), MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson()));
            restored.fit(Nets.features(DataType.DOUBLE, 9, 10, 4), Nets.oneHot(DataType.DOUBLE, 9, 10, 3));
            assertEquals(0.0, restored.getParam("0_phi").mul(outside).norm1Number().doubleValue(), "after restore");
        }
    }

    @Test
    void frozenFactorsStayBitIdentical() {
        for (boolean sameDiff : new boolean[]{false, true}) {
            Layer hidden = sameDiff
                    ? new SameDiffSpectralDenseLayer.Builder().nOut(6).activation(Activation.TANH).lowRank(2).build()
                    : new SpectralDenseLayer.Builder().nOut(6).activation(Activation.TANH).lowRank(2).build();
            MultiLayerNetwork net = network(Nets.doubles(2).updater(new Adam(0.05)).l2(0.1), hidden,
                    new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build());
            assertEquals(Set.of("1_phiU", "1_phiV").size(), Nets.frozenKeys(net).size());
            Map<String, INDArray> before = Nets.snapshot(net.paramTable());
            for (int i = 0; i < 5; i++) {
                net.fit(Nets.features(DataType.DOUBLE, i, 10, 4), Nets.oneHot(DataType.DOUBLE, i, 10, 3));
            }
            assertEquals(before.get("0_phiU"), net.getParam("0_phiU"));
            assertEquals(before.get("0_phiV"), net.getParam("0_phiV"));
            assertNotEquals(before.get("0_lambdaIn"), net.getParam("0_lambdaIn"));
        }
    }

    @Test
    void parameterCountsForEveryBlockAndPreset() {
        long nIn = 30, nOut = 20, r = 4;
        long kept = SparseSupport.count(nIn, nOut, 0.25, 3);
        for (SpectralPreset preset : SpectralPreset.values()) {
            long eigen = (preset.trains(io.github.dl4jspectral.conf.SpectralParam.LAMBDA_IN) ? nIn : 0)
                    + (preset.trains(io.github.dl4jspectral.conf.SpectralParam.LAMBDA_OUT) ? nOut : 0) + nOut;
            boolean phi = preset.trains(io.github.dl4jspectral.conf.SpectralParam.PHI);
            long all = nIn + nOut + nOut;
            assertEquals(new ParameterCounts(eigen + (phi ? nIn * nOut : 0), all - eigen + (phi ? 0 : nIn * nOut)),
                    ParameterCounts.of(new SpectralDenseLayer.Builder().nIn(nIn).nOut(nOut).preset(preset).build()), "DENSE " + preset);
            assertEquals(new ParameterCounts(eigen + (phi ? r * (nIn + nOut) : 0), all - eigen + (phi ? 0 : r * (nIn + nOut))),
                    ParameterCounts.of(new SpectralDenseLayer.Builder().nIn(nIn).nOut(nOut).preset(preset).lowRank((int) r).build()),
                    "LOW_RANK " + preset);
            assertEquals(new ParameterCounts(eigen + (phi ? kept : 0), all - eigen + nIn * nOut - (phi ? kept : 0)),
                    ParameterCounts.of(new SpectralDenseLayer.Builder().nIn(nIn).nOut(nOut).preset(preset).sparse(0.25, 3).build()),
                    "SPARSE " + preset);
        }
        assertEquals(new ParameterCounts(kept + nOut, nIn * nOut - kept),
                ParameterCounts.of(new SparseDenseLayer.Builder().nIn(nIn).nOut(nOut).sparse(0.25, 3).build()));
    }

    @Test
    void conventionalSparseBaselineSharesTheSupportAndTrainsOnlyItsWeights() {
        MultiLayerNetwork spectral = sparseNetwork(false, SpectralPreset.EIGENVALUES);
        MultiLayerNetwork baseline = network(Nets.doubles(9).updater(new Adam(0.05)).l2(0.01),
                new SparseDenseLayer.Builder().nOut(8).activation(Activation.TANH).sparse(0.3, 5).build(),
                new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build());
        INDArray support = SparseSupport.mask(4, 8, 0.3, 5, DataType.DOUBLE);
        assertEquals(support, spectral.getParam("0_phi").neq(0).castTo(DataType.DOUBLE));
        assertEquals(support, baseline.getParam("0_W").neq(0).castTo(DataType.DOUBLE));
        for (int i = 0; i < 5; i++) {
            baseline.fit(Nets.features(DataType.DOUBLE, i, 10, 4), Nets.oneHot(DataType.DOUBLE, i, 10, 3));
        }
        assertEquals(support, baseline.getParam("0_W").neq(0).castTo(DataType.DOUBLE), "zeros stay zeros, the rest trains");
        SparseDenseLayer conf = (SparseDenseLayer) baseline.getLayerWiseConfigurations().getConf(0).getLayer();
        assertEquals(conf, MultiLayerConfiguration.fromJson(baseline.getLayerWiseConfigurations().toJson()).getConf(0).getLayer());
    }


    @Test
    void invalidBlocksAreRejected() {
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new SpectralDenseLayer.Builder().name("h").nIn(10).nOut(6).lowRank(0).build(),
                "SpectralDenseLayer \"h\"", "lowRank r = 0", "expected 1 <= r <= min(nIn, nOut) = 6");
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new SpectralOutputLayer.Builder().name("o").nIn(10).nOut(6).lowRank(7).build(),
                "SpectralOutputLayer \"o\"", "lowRank r = 7", "= 6");
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new MultiLayerNetwork(Nets.doubles(1).list()
                        .layer(new SpectralDenseLayer.Builder().name("h").nOut(6).lowRank(5).build())
                        .layer(new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build())
                        .setInputType(InputType.feedForward(3)).build()).init(),
                "layer index 0", "lowRank r = 5", "min(nIn, nOut) = 3");
        for (double density : new double[]{0, -0.1, 1.5, Double.NaN}) {
            Nets.assertMessage(DL4JInvalidConfigException.class, () -> new SameDiffSpectralDenseLayer.Builder().name("s").nOut(4).sparse(density, 1).build(),
                    "SameDiffSpectralDenseLayer \"s\"", "sparse density = " + density, "expected 0 < density <= 1");
        }
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new SparseDenseLayer.Builder().name("b").nOut(4).sparse(2, 1).build(),
                "SparseDenseLayer \"b\"", "density = 2.0");
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> new MultiLayerNetwork(Nets.doubles(1).weightNoise(new DropConnect(0.9)).list()
                        .layer(new SpectralDenseLayer.Builder().name("h").nOut(4).lowRank(2).build())
                        .layer(new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build())
                        .setInputType(InputType.feedForward(3)).build()).init(),
                "SpectralDenseLayer \"h\"", "weight noise", "expected no weightNoise with a factored block");
    }
}
