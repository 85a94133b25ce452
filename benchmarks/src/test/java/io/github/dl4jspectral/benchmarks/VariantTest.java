package io.github.dl4jspectral.benchmarks;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Every benchmark variant builds, trains one step, and has a twin of the same input and output size. */
class VariantTest {

    @Test
    void everyVariantBuildsAndTrains() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 300);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 4);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 4, 1);
        }
        for (Variant v : Variant.values()) {
            MultiLayerNetwork net = v.network(300, 200, 4);
            INDArray before = net.params().dup();
            net.fit(x, y);
            assertNotEquals(before, net.params(), v + " trains");
            assertEquals(4, net.output(x).size(1), v.name());
            assertEquals(4, v.twin().network(300, 200, 4).output(x).size(1), v + " twin " + v.twin());
        }
    }
}
