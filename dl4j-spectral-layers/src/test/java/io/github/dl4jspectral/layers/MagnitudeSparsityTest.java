package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.testing.DoublePrecision;
import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.EigenvectorBlock;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralInit;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.export.DirectSpaceExport;
import io.github.dl4jspectral.layers.EffectiveWeights;
import io.github.dl4jspectral.layers.MagnitudeSparsity;
import io.github.dl4jspectral.samediff.SameDiffSpectralDenseLayer;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Magnitude sparsification of the effective weights (Phys. Rev. E 2021 sparse networks), native and SameDiff. */
@ExtendWith(DoublePrecision.class)
class MagnitudeSparsityTest {

    private static final EigenvectorBlock[] BLOCKS = {EigenvectorBlock.dense(), EigenvectorBlock.lowRank(3),
            EigenvectorBlock.sparse(0.7, 4), EigenvectorBlock.svd(), EigenvectorBlock.qr()};

    static Stream<Arguments> blocksAndPresets() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (EigenvectorBlock block : BLOCKS) {
            for (SpectralPreset preset : new SpectralPreset[]{SpectralPreset.FULL, SpectralPreset.EIGENVALUES,
                    SpectralPreset.EIGENVALUES_OUT, SpectralPreset.EIGENVECTORS}) {
                cases.add(Arguments.of(block, preset));
            }
        }
        return cases.build();
    }

    private static Layer hidden(boolean sameDiff, EigenvectorBlock block, SpectralPreset preset, double sparsity) {
        return sameDiff
                ? new SameDiffSpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH).preset(preset)
                        .eigenvectorBlock(block).magnitudeSparsity(sparsity).build()
                : new SpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH).preset(preset)
                        .eigenvectorBlock(block).magnitudeSparsity(sparsity).build();
    }

    private static MultiLayerNetwork network(long seed, Object updater, Layer... layers) {
        var list = Nets.doubles(seed).updater((org.nd4j.linalg.learning.config.IUpdater) updater).list();
        for (Layer l : layers) {
            list.layer(l);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.setInputType(InputType.feedForward(6)).build());
        net.init();
        return net;
    }

    private static INDArray effective(MultiLayerNetwork net, int layer) {
        return EffectiveWeights.of((SpectralLayerConfig) net.getLayer(layer).conf().getLayer(), net.getLayer(layer).paramTable());
    }

    private static long zeros(INDArray w) {
        return w.length() - w.neq(0).castTo(DataType.INT64).sumNumber().longValue();
    }

    @Test
    void selectionFindsTheKthSmallestWithoutSorting() throws Exception {
        var select = MagnitudeSparsity.class.getDeclaredMethod("select", double[].class, int.class);
        select.setAccessible(true);
        Random random = new Random(1);
        for (int trial = 0; trial < 240; trial++) {
            // small arrays (plain quickselect) and large ones (sampled bracket), random, with many ties, sorted
            // and reversed (a strided sample of sorted data is representative; of periodic data it need not be)
            int n = trial % 2 == 0 ? 1 + random.nextInt(300) : 40_000 + random.nextInt(60_000);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = switch (trial % 6) {
                    case 0, 1 -> random.nextInt(5);
                    case 2 -> i;
                    case 3 -> -i;
                    case 4 -> i % 8192;   // periodic with the sample's stride: the bracket misses, the fallback works
                    default -> random.nextGaussian();
                };
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int k = random.nextInt(n);
            assertEquals(sorted[k], (double) select.invoke(null, values.clone(), k), "trial " + trial);
        }
    }

    @Test
    void exactlyTheRequestedFractionIsZeroAtEveryStepAndInferenceAndExportApplyTheSameRule() {
        for (EigenvectorBlock block : BLOCKS) {
            for (boolean sameDiff : new boolean[]{false, true}) {
                MultiLayerNetwork net = network(1, new Adam(0.05), hidden(sameDiff, block, SpectralPreset.FULL, 0.8),
                        new SpectralOutputLayer.Builder().nOut(3).eigenvectorBlock(block).magnitudeSparsity(0.5).build());
                INDArray x = Nets.features(DataType.DOUBLE, 7, 9, 6);
                for (int step = 0; step < 5; step++) {
                    INDArray w = effective(net, 0);
                    assertEquals(Math.round(0.8 * 30), zeros(w), block + " sameDiff=" + sameDiff + " step " + step);
                    assertEquals(Math.round(0.5 * 15), zeros(effective(net, 1)));
                    INDArray z = x.mmul(w);
                    if (net.getLayer(0).getParam("b") != null) {
                        z.addiRowVector(net.getLayer(0).getParam("b"));
                    }
                    assertClose(Activation.TANH.getActivationFunction().getActivation(z, false), net.feedForward(x).get(1),
                            block + " the layer computes with the sparsified W");
                    net.fit(Nets.features(DataType.DOUBLE, step, 8, 6), Nets.oneHot(DataType.DOUBLE, step, 8, 3));
                }
                assertClose(net.output(x), DirectSpaceExport.toDense(net).output(x), block + " export writes the sparsified W");
            }
        }
    }

    @Test
    void zeroedEntriesPassNoGradientThroughW() {
        MultiLayerNetwork net = network(2, new NoOp(), hidden(false, EigenvectorBlock.dense(), SpectralPreset.FULL, 0.6),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build());
        net.setInput(Nets.features(DataType.DOUBLE, 3, 8, 6));
        net.setLabels(Nets.oneHot(DataType.DOUBLE, 3, 8, 3));
        net.computeGradientAndScore();
        INDArray zeroed = effective(net, 0).eq(0);
        INDArray dPhi = net.gradient().getGradientFor("0_phi");
        assertEquals(18, zeroed.castTo(DataType.INT64).sumNumber().longValue());
        assertEquals(0.0, dPhi.mul(zeroed.castTo(DataType.DOUBLE)).norm1Number().doubleValue(), 0, "dL/dphi = 0 where W is zeroed");
        assertTrue(dPhi.norm1Number().doubleValue() > 0, "the kept entries do learn");
    }

    /** W = phi .* (lambdaIn^T - lambdaOut): moving lambdaIn moves which row is large, and zeroed entries come back. */
    @Test
    void aZeroedEntryComesBackWhenTheSharedParametersMove() {
        for (boolean sameDiff : new boolean[]{false, true}) {
            Layer layer = sameDiff
                    ? new SameDiffSpectralDenseLayer.Builder().nIn(2).nOut(2).activation(Activation.IDENTITY).hasBias(false)
                            .preset(SpectralPreset.FULL).magnitudeSparsity(0.5).build()
                    : new SpectralDenseLayer.Builder().nIn(2).nOut(2).activation(Activation.IDENTITY).hasBias(false)
                            .preset(SpectralPreset.FULL).magnitudeSparsity(0.5).build();
            MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(3).updater(new NoOp()).list().layer(layer)
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1).activation(Activation.IDENTITY).build())
                    .setInputType(InputType.feedForward(2)).build());
            net.init();
            net.getLayer(0).setParam("phi", Nd4j.createFromArray(new double[][]{{1, 2}, {3, 4}}));
            net.getLayer(0).setParam("lambdaOut", Nd4j.createFromArray(new double[][]{{0, 0}}));
            net.getLayer(0).setParam("lambdaIn", Nd4j.createFromArray(new double[][]{{1, 0.1}}));
            INDArray x = Nd4j.createFromArray(new double[][]{{1, 1}});
            // W = [[1, 2], [0.3, 0.4]]: the second row goes
            assertClose(Nd4j.createFromArray(new double[][]{{1, 2}}), net.feedForward(x).get(1), "row 2 zeroed, sameDiff=" + sameDiff);
            net.getLayer(0).setParam("lambdaIn", Nd4j.createFromArray(new double[][]{{0.1, 1}}));
            // W = [[0.1, 0.2], [3, 4]]: the second row is back, the first goes
            assertClose(Nd4j.createFromArray(new double[][]{{3, 4}}), net.feedForward(x).get(1), "row 2 back, sameDiff=" + sameDiff);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("blocksAndPresets")
    void gradientChecksWithTheMaskHeldFixedAndNativeEqualsSameDiff(EigenvectorBlock block, SpectralPreset preset) {
        INDArray x = Nets.features(DataType.DOUBLE, 4, 6, 6);
        INDArray y = Nets.oneHot(DataType.DOUBLE, 4, 6, 3);
        Layer plainOutput = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build();
        MultiLayerNetwork nativeNet = network(5, new NoOp(), hidden(false, block, preset, 0.6), plainOutput.clone());
        MultiLayerNetwork sameDiffNet = network(5, new NoOp(), hidden(true, block, preset, 0.6), plainOutput.clone());
        for (var e : nativeNet.paramTable().entrySet()) {
            sameDiffNet.setParam(e.getKey(), e.getValue());
        }
        for (MultiLayerNetwork net : new MultiLayerNetwork[]{nativeNet, sameDiffNet}) {
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).excludeParams(Nets.frozenKeys(net))
                    .exitOnFirstError(true)), "MLN " + (net == nativeNet ? "native" : "SameDiff"));
            net.setInput(x);
            net.setLabels(y);
            net.computeGradientAndScore();
        }
        assertClose(nativeNet.output(x), sameDiffNet.output(x), "output");
        for (String key : nativeNet.paramTable().keySet()) {
            assertClose(nativeNet.gradient().getGradientFor(key), sameDiffNet.gradient().getGradientFor(key), key);
        }

        ComputationGraph cg = new ComputationGraph(((ComputationGraphConfiguration.GraphBuilder) Nets.doubles(5)
                .updater(new NoOp()).graphBuilder().addInputs("in")
                .addLayer("h", hidden(false, block, preset, 0.6), "in")
                .addLayer("out", new SpectralOutputLayer.Builder().nOut(3).preset(preset).eigenvectorBlock(block)
                        .magnitudeSparsity(0.5).build(), "h"))
                .setOutputs("out").setInputTypes(InputType.feedForward(6)).build());
        cg.init();
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(cg).inputs(new INDArray[]{x})
                .labels(new INDArray[]{y}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                .excludeParams(Nets.frozenKeys(cg)).exitOnFirstError(true)), "CG");
    }

    /** The conventional twin: frozen eigenvalues lambdaIn = 0, lambdaOut = 1 make W = -phi, a plain dense W. */
    @Test
    void theConventionalTwinIsADenseLayerUnderTheSameRule() {
        MultiLayerNetwork twin = network(6, new Adam(0.01), new SpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH)
                        .preset(SpectralPreset.EIGENVECTORS).spectralInit(SpectralInit.denseEquivalent()).magnitudeSparsity(0.9).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build());
        twin.fit(Nets.features(DataType.DOUBLE, 1, 8, 6), Nets.oneHot(DataType.DOUBLE, 1, 8, 3));
        INDArray phi = twin.getParam("0_phi");
        INDArray w = effective(twin, 0);
        assertEquals(27, zeros(w));
        assertClose(phi.neg().mul(w.neq(0).castTo(DataType.DOUBLE)), w, "W = -phi on the kept entries");
        assertEquals(0.0, twin.getParam("0_lambdaIn").norm1Number().doubleValue(), 0);
    }

    @Test
    void theSettingSurvivesJsonAndSaveRestore(@org.junit.jupiter.api.io.TempDir java.io.File dir) throws java.io.IOException {
        for (boolean sameDiff : new boolean[]{false, true}) {
            MultiLayerNetwork net = network(7, new Adam(0.01), hidden(sameDiff, EigenvectorBlock.qr(), SpectralPreset.FULL, 0.7),
                    new SpectralOutputLayer.Builder().nOut(3).magnitudeSparsity(0.4).build());
            net.fit(Nets.features(DataType.DOUBLE, 1, 8, 6), Nets.oneHot(DataType.DOUBLE, 1, 8, 3));
            var conf = net.getLayerWiseConfigurations();
            assertEquals(conf, org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(conf.toJson()));
            java.io.File file = new java.io.File(dir, "net" + sameDiff + ".zip");
            org.deeplearning4j.util.ModelSerializer.writeModel(net, file, true);
            MultiLayerNetwork restored = org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(file, true);
            INDArray x = Nets.features(DataType.DOUBLE, 2, 5, 6);
            assertEquals(net.output(x), restored.output(x), "sameDiff=" + sameDiff);
            assertEquals(0.7, ((SpectralLayerConfig) restored.getLayerWiseConfigurations().getConf(0).getLayer())
                    .getSpectral().getMagnitudeSparsity());
        }
    }

    @Test
    void aPlainSameDiffGraphRefusesIt() {
        var sd = org.nd4j.autodiff.samediff.SameDiff.create();
        var in = sd.placeHolder("in", DataType.DOUBLE, -1, 4);
        Nets.assertMessage(DL4JInvalidConfigException.class, () -> io.github.dl4jspectral.samediff.SpectralOps.dense(sd, "h", in,
                        new SameDiffSpectralDenseLayer.Builder().nOut(3).activation(Activation.TANH).magnitudeSparsity(0.5).build()),
                "magnitudeSparsity 0.5 needs DL4J's runtime layer", "expected magnitudeSparsity 0 here");
    }

    @Test
    void invalidFractionsAreRejected() {
        for (double f : new double[]{1.0, -0.1, Double.NaN}) {
            Nets.assertMessage(DL4JInvalidConfigException.class, () -> new SpectralDenseLayer.Builder().name("h").nOut(4)
                    .magnitudeSparsity(f).build(), "SpectralDenseLayer \"h\"", "magnitudeSparsity = " + f, "expected a fraction of zeros 0 <= f < 1");
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        Nets.assertClose(expected, actual, what);
    }
}
