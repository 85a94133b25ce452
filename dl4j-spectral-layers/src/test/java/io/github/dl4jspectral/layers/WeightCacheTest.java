package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.conf.EigenvectorBlock;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.testing.Nets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * An inference pass reuses the W of the last inference pass (({@link WeightCache})) only while every array W was built
 * from is bit for bit what it was. The network cases change the parameters in every way DL4J and a user can, most of
 * them without telling the layer, and compare each output with a copy of the network that has never built W; the
 * unit cases check the rule itself, including that W is in fact reused.
 */
class WeightCacheTest {

    private static final INDArray X = Nets.features(DataType.DOUBLE, 1, 8, 6);
    private static final INDArray LABELS = Nets.oneHot(DataType.DOUBLE, 2, 8, 3);

    static Stream<Arguments> blocks() {
        return Stream.of(Arguments.of(EigenvectorBlock.dense(), 0.0), Arguments.of(EigenvectorBlock.dense(), 0.6),
                Arguments.of(EigenvectorBlock.sparse(0.5, 2), 0.0), Arguments.of(EigenvectorBlock.qr(), 0.6));
    }

    private static MultiLayerNetwork network(EigenvectorBlock block, double sparsity) {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(5).updater(new Adam(0.05)).list()
                .layer(new SpectralDenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH)
                        .preset(SpectralPreset.FULL).eigenvectorBlock(block).magnitudeSparsity(sparsity).build())
                .layer(new SpectralOutputLayer.Builder().nIn(5).nOut(3).preset(SpectralPreset.FULL).build())
                .build());
        net.init();
        return net;
    }

    /** Output, {@code change}, output again: the second must be a fresh copy's and differ from the first. */
    private static void assertOutputFollows(EigenvectorBlock block, double sparsity, Consumer<MultiLayerNetwork> change) {
        MultiLayerNetwork net = network(block, sparsity);
        INDArray before = net.output(X).dup();
        assertEquals(before, net.output(X), "unchanged parameters, same output");
        change.accept(net);
        INDArray after = net.output(X).dup();
        assertEquals(net.clone().output(X), after, "the output of a network that never built W");
        assertFalse(before.equalsWithEps(after, 1e-9), "the change should alter the output");
    }

    /** The first parameter array of the hidden layer's eigenvector block (phi, or a factor). */
    private static INDArray blockArray(MultiLayerNetwork net, EigenvectorBlock block) {
        return net.getParam("0_" + block.layout().groups().get(0).key());
    }

    @ParameterizedTest(name = "{0}, magnitude sparsity {1}")
    @MethodSource("blocks")
    void anInPlaceWriteToTheEigenvectorBlockIsSeen(EigenvectorBlock block, double sparsity) {
        assertOutputFollows(block, sparsity, net -> {
            INDArray array = blockArray(net, block);
            array.putScalar(array.length() - 1, array.getDouble(array.length() - 1) + 0.75);
            array.putScalar(0, array.getDouble(0) - 0.75);
        });
    }

    @ParameterizedTest(name = "{0}, magnitude sparsity {1}")
    @MethodSource("blocks")
    void anInPlaceWriteToTheEigenvaluesIsSeen(EigenvectorBlock block, double sparsity) {
        assertOutputFollows(block, sparsity, net -> net.getParam("0_lambdaIn").addi(0.5));
        assertOutputFollows(block, sparsity, net -> net.getParam("1_lambdaOut").putScalar(1, 2.0));
    }

    @ParameterizedTest(name = "{0}, magnitude sparsity {1}")
    @MethodSource("blocks")
    void theNetworksSetParamsIsSeen(EigenvectorBlock block, double sparsity) {
        // copies into the existing parameter arrays: no layer hears of it
        assertOutputFollows(block, sparsity, net -> net.setParams(net.params().mul(1.25)));
    }

    @ParameterizedTest(name = "{0}, magnitude sparsity {1}")
    @MethodSource("blocks")
    void trainingIsSeen(EigenvectorBlock block, double sparsity) {
        assertOutputFollows(block, sparsity, net -> net.fit(X, LABELS));
    }

    @Test
    void theSameWeightsAreReusedWhileTheSourcesAreUnchanged() {
        WeightCache kept = new WeightCache();
        // phi as a runtime layer holds it ('f' ordered), a 'c' ordered array, a row vector
        List<INDArray> sources = List.of(Nd4j.rand(DataType.DOUBLE, 4, 3).dup('f'), Nd4j.rand(DataType.DOUBLE, 4, 3),
                Nd4j.rand(DataType.DOUBLE, 1, 4));
        SpectralMap.Weights weights = built(kept);
        kept.builtForInference(weights, sources);
        assertSame(weights, kept.reusableForInference(sources));
        assertSame(weights, kept.reusableForInference(sources.stream().map(a -> a.dup(a.ordering())).toList()),
                "equal contents in other arrays are the same sources");
    }

    @Test
    void anyChangedBitOfAnySourceMeansRebuild() {
        WeightCache kept = new WeightCache();
        INDArray phi = Nd4j.rand(DataType.DOUBLE, 4, 3);
        INDArray lambda = Nd4j.rand(DataType.DOUBLE, 1, 4);
        kept.builtForInference(built(kept), List.of(phi, lambda));
        lambda.putScalar(3, Math.nextUp(lambda.getDouble(3)));
        assertNull(kept.reusableForInference(List.of(phi, lambda)), "one ulp in the last source");
        INDArray flat = Nd4j.rand(DataType.DOUBLE, 1, 100);
        INDArray strided = flat.reshape(10, 10).get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2, 10));   // not contiguous: compared by ND4J
        kept.builtForInference(built(kept), List.of(strided));
        assertNotNull(kept.reusableForInference(List.of(strided)));
        strided.putScalar(9, 4, -1.0);
        assertNull(kept.reusableForInference(List.of(strided)), "a changed entry of a strided view");
        assertNull(kept.reusableForInference(List.of(strided.reshape(50))), "another shape");
    }

    @Test
    void aLargeSourceIsComparedWhole() {
        // 8.8 MB: compared in parallel chunks where there are several cores
        WeightCache kept = new WeightCache();
        INDArray phi = Nd4j.rand(DataType.DOUBLE, 1100, 1000).dup('f');
        SpectralMap.Weights weights = built(kept);
        kept.builtForInference(weights, List.of(phi));
        assertSame(weights, kept.reusableForInference(List.of(phi)));
        for (long index : new long[]{0, phi.length() / 2 + 1, phi.length() - 1}) {
            double value = phi.getDouble(index);
            phi.putScalar(index, value + 1);
            assertNull(kept.reusableForInference(List.of(phi)), "entry " + index + " changed");
            phi.putScalar(index, value);
            assertSame(weights, kept.reusableForInference(List.of(phi)), "entry " + index + " restored");
        }
    }

    @Test
    void aNewBuildOrAnOverwriteEndsTheReuse() {
        WeightCache kept = new WeightCache();
        List<INDArray> sources = List.of(Nd4j.rand(DataType.DOUBLE, 4, 3));
        kept.builtForInference(built(kept), sources);
        built(kept);
        assertNull(kept.reusableForInference(sources), "a build (e.g. a training pass) rewrote the arrays");
        kept.builtForInference(built(kept), sources);
        kept.overwritten();
        assertNull(kept.reusableForInference(sources), "a backward pass rewrote the arrays");
    }

    /** A build into the weight cache (contents irrelevant here). */
    private static SpectralMap.Weights built(WeightCache kept) {
        WeightCache.Buffers buffers = kept.buffers(DataType.DOUBLE, 4, 3, false, false);
        return new SpectralMap.Weights(buffers.w(), buffers.d(), null, null, Double.NaN);
    }
}
