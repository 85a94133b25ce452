package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.EigenvectorBlock;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native hidden layer's backward pass reuses the pre-activation of the training forward pass before it
 * (PreActivationHandoff). It must give exactly what recomputing gives, and never a stale pre-activation: not
 * after the layer's parameters or input were set, not after an optimizer step (iteration count), not twice.
 * Each case compares the backward pass after a forward pass with one that recomputes (no forward pass before it,
 * only the input set), on the same parameters. The weights the forward pass built (W, D, and with magnitude sparsity
 * the mask and threshold) are handed over too, under the same rule and only while no other pass has built into the
 * layer's weight cache; every case runs with and without magnitude sparsity.
 */
class PreActivationHandoffTest {

    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

    private static final double[] SPARSITIES = {0, 0.6};

    private static MultiLayerNetwork network(SpectralPreset preset, EigenvectorBlock block, double sparsity) {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(5).updater(new Adam(0.05)).list()
                .layer(new SpectralDenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).preset(preset)
                        .eigenvectorBlock(block).magnitudeSparsity(sparsity).build())
                .layer(new SpectralOutputLayer.Builder().nIn(5).nOut(3).build())
                .build());
        net.init();
        net.initGradientsView();   // the layers' gradient views, which a layer-level backward pass writes
        return net;
    }

    private static final INDArray X = Nets.features(DataType.DOUBLE, 1, 8, 6);
    private static final INDArray X2 = Nets.features(DataType.DOUBLE, 3, 8, 6);
    private static final INDArray EPSILON = Nets.features(DataType.DOUBLE, 4, 8, 5);

    /** Gradient (copied) and dL/dx of one backward pass. */
    private record Result(Map<String, INDArray> gradient, INDArray epsilon) {
        static Result of(Pair<Gradient, INDArray> pair) {
            Map<String, INDArray> copy = new HashMap<>();
            pair.getFirst().gradientForVariable().forEach((k, v) -> copy.put(k, v.dup()));
            return new Result(copy, pair.getSecond().dup());
        }
    }

    /** A backward pass that recomputes the pre-activation: input set, no forward pass before it. */
    private static Result recomputed(Layer layer, INDArray input) {
        layer.setInput(input, NO_WS);
        return Result.of(layer.backpropGradient(EPSILON.dup(), NO_WS));
    }

    private static void assertSame(Result expected, Result actual) {
        assertSame(expected, actual, "");
    }

    private static void assertSame(Result expected, Result actual, String where) {
        assertEquals(expected.gradient().keySet(), actual.gradient().keySet(), where);
        expected.gradient().forEach((key, g) -> assertTrue(g.equalsWithEps(actual.gradient().get(key), 1e-12),
                where + " " + key + ": expected " + g + " but got " + actual.gradient().get(key)));
        assertTrue(expected.epsilon().equalsWithEps(actual.epsilon(), 1e-12), where + " dL/dx differs");
    }

    /**
     * The backward pass after a training forward pass gives what recomputing gives, and it does use the forward pass's
     * pre-activation: the bias, changed in place between the two passes (which, by the handoff's contract, no hook
     * sees), moves only z, so the backward pass equals the one recomputed before the change and differs from the one
     * recomputed after it. A factored block (low rank, S-SVD, QR) without magnitude sparsity hands nothing over (its
     * backward pass needs x A, which its forward pass does not keep): it recomputes, so it sees the change.
     */
    @ParameterizedTest
    @EnumSource(SpectralPreset.class)
    void handoffGivesWhatRecomputingGivesAndIsUsed(SpectralPreset preset) {
        Map<EigenvectorBlock, Boolean> factored = Map.of(EigenvectorBlock.dense(), false,
                EigenvectorBlock.sparse(0.5, 2), false, EigenvectorBlock.lowRank(2), true, EigenvectorBlock.svd(), true,
                EigenvectorBlock.qr(), true);
        factored.forEach((block, isFactored) -> {
            for (double sparsity : SPARSITIES) {
                String where = block + ", sparsity " + sparsity;
                Layer layer = network(preset, block, sparsity).getLayer(0);
                Result beforeChange = recomputed(layer, X);
                layer.activate(X, true, NO_WS);
                layer.getParam("b").addi(0.5);
                Result afterForward = Result.of(layer.backpropGradient(EPSILON.dup(), NO_WS));
                Result afterChange = recomputed(layer, X);
                boolean handedOver = !isFactored || sparsity > 0;
                assertSame(handedOver ? beforeChange : afterChange, afterForward, where);
                assertFalse(beforeChange.epsilon().equalsWithEps(afterChange.epsilon(), 1e-6),
                        where + ": the change of the bias should alter the backward pass");
            }
        });
    }

    /** Forward pass, then {@code change}, then backward: must equal recomputing after the change. */
    private static void assertChangeIsSeen(Consumer<Layer> change, INDArray inputAfterChange) {
        for (double sparsity : SPARSITIES) {
            MultiLayerNetwork net = network(SpectralPreset.FULL, EigenvectorBlock.dense(), sparsity);
            Layer layer = net.getLayer(0);
            layer.activate(X, true, NO_WS);
            change.accept(layer);
            Result actual = Result.of(layer.backpropGradient(EPSILON.dup(), NO_WS));
            assertSame(recomputed(layer, inputAfterChange), actual);
            // and the change did matter: the pre-activation of the forward pass would have given another result
            MultiLayerNetwork before = network(SpectralPreset.FULL, EigenvectorBlock.dense(), sparsity);
            assertFalse(recomputed(before.getLayer(0), X).epsilon().equalsWithEps(actual.epsilon(), 1e-6),
                    "the change should alter the backward pass, sparsity " + sparsity);
        }
    }

    @Test
    void setParamDropsThePreActivation() {
        assertChangeIsSeen(layer -> layer.setParam("lambdaIn", layer.getParam("lambdaIn").add(0.5)), X);
    }

    @Test
    void setParamsDropsThePreActivation() {
        assertChangeIsSeen(layer -> layer.setParams(layer.params().mul(1.5)), X);
    }

    @Test
    void setParamTableDropsThePreActivation() {
        assertChangeIsSeen(layer -> {
            Map<String, INDArray> table = new HashMap<>();
            layer.paramTable().forEach((k, v) -> table.put(k, v.mul(0.5)));
            layer.setParamTable(table);
        }, X);
    }

    @Test
    void anOptimizerStepDropsThePreActivation() {
        // DL4J updates the parameters in place, then advances the iteration count
        assertChangeIsSeen(layer -> {
            layer.getParam("phi").addi(0.3);
            layer.setIterationCount(layer.getIterationCount() + 1);
        }, X);
    }

    @Test
    void aNewInputDropsThePreActivation() {
        assertChangeIsSeen(layer -> layer.setInput(X2, NO_WS), X2);
    }

    @Test
    void anInferencePassBetweenTheTwoPassesDropsTheHandoff() {
        // an inference pass on the same input (no setter runs) builds W and D into the weight cache again, here from
        // changed parameters
        assertChangeIsSeen(layer -> {
            layer.getParam("phi").addi(0.3);
            layer.activate(false, NO_WS);
        }, X);
    }

    @Test
    void thePreActivationIsUsedOnlyOnce() {
        // the second backward pass follows an in-place change no hook sees: it must recompute
        assertChangeIsSeen(layer -> {
            layer.backpropGradient(EPSILON.dup(), NO_WS);
            layer.getParam("lambdaOut").addi(0.7);
        }, X);
    }

    @Test
    void trainingGivesTheSameGradientsAsRecomputing() {
        MultiLayerNetwork net = network(SpectralPreset.FULL, EigenvectorBlock.dense(), 0.6);
        INDArray labels = Nets.oneHot(DataType.DOUBLE, 6, 8, 3);
        for (int i = 0; i < 3; i++) {
            net.fit(X, labels);
        }
        net.setInput(X);
        net.setLabels(labels);
        net.computeGradientAndScore();   // forward, then backward with the handoff
        Map<String, INDArray> viaHandoff = new HashMap<>();
        net.gradient().gradientForVariable().forEach((k, v) -> viaHandoff.put(k, v.dup()));

        // the hidden layer's gradient, recomputed from its input and the epsilon the output layer sends it
        Layer hidden = net.getLayer(0);
        INDArray hiddenOut = net.feedForward(X, false).get(1);
        net.getLayer(1).setInput(hiddenOut, NO_WS);
        ((org.deeplearning4j.nn.api.layers.IOutputLayer) net.getLayer(1)).setLabels(labels);
        INDArray epsilon = net.getLayer(1).backpropGradient(null, NO_WS).getSecond().dup();
        hidden.setInput(X, NO_WS);
        Map<String, INDArray> recomputed = Result.of(hidden.backpropGradient(epsilon, NO_WS)).gradient();
        recomputed.forEach((k, g) -> assertTrue(g.equalsWithEps(viaHandoff.get("0_" + k), 1e-12), k));
    }
}
