package io.github.dl4jspectral.benchmarks.claims;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The equal-parameter control trains exactly the chosen weights and leaves every other one bit for bit. */
class WeightSubsetTest {

    private static long changed(INDArray before, INDArray after) {
        return before.neq(after).castTo(DataType.INT64).sumNumber().longValue();
    }

    private static DataSet batch() {
        Nd4j.getRandom().setSeed(7);
        INDArray features = Nd4j.rand(DataType.FLOAT, 64, 784);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 64, 10);
        for (int i = 0; i < 64; i++) {
            labels.putScalar(i, i % 10, 1);
        }
        return new DataSet(features, labels);
    }

    @Test
    void onlyTheChosenWeightsOfEachMapMove() {
        MultiLayerNetwork network = NatCommun.protocol(20, 1).dense(3);
        INDArray w0 = network.getParam("0_W").dup();
        INDArray w1 = network.getParam("1_W").dup();
        WeightSubset subset = WeightSubset.restrict(network, new int[]{20, 10}, 3);
        assertEquals(30, subset.trainable());
        assertEquals(784 * 20 + 20 * 10 - 30, subset.frozen());
        DataSet data = batch();
        for (int i = 0; i < 5; i++) {
            network.fit(data);
        }
        assertEquals(20, changed(w0, network.getParam("0_W")), "first map: n weights train");
        assertEquals(10, changed(w1, network.getParam("1_W")), "second map: 10 weights train");
    }

    @Test
    void withoutTheListenerEveryWeightMoves() {
        MultiLayerNetwork network = NatCommun.protocol(20, 1).dense(3);
        INDArray w0 = network.getParam("0_W").dup();
        network.fit(batch());
        assertEquals(784 * 20, changed(w0, network.getParam("0_W")), "the control's baseline: all weights move");
    }

    @Test
    void theSameSeedChoosesTheSameWeights() {
        MultiLayerNetwork a = NatCommun.protocol(20, 1).dense(3);
        MultiLayerNetwork b = NatCommun.protocol(20, 1).dense(3);
        WeightSubset.restrict(a, new int[]{20, 10}, 11);
        WeightSubset.restrict(b, new int[]{20, 10}, 11);
        DataSet data = batch();
        a.fit(data);
        b.fit(data);
        assertEquals(a.params(), b.params());
    }

    @Test
    void moreWeightsThanTheMapHasIsAnError() {
        MultiLayerNetwork network = NatCommun.protocol(20, 1).dense(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightSubset.restrict(network, new int[]{20, 201}, 1));
        assertEquals("WeightSubset: counts[1] = 201; expected at most the 200 weights of that layer", e.getMessage());
    }
}
