package io.github.dl4jspectral.conf;

import io.github.dl4jspectral.blocks.WholePhiBlock;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixed support: the documented draw, no Java-heap copy of the matrix, shared masks freed with their holders. */
class SparseSupportTest {

    @Test
    void maskIsTheDocumentedDrawInFOrder() {
        long nIn = 7;
        long nOut = 5;
        SplittableRandom random = new SplittableRandom(11);
        INDArray mask = SparseSupport.mask(nIn, nOut, 0.3, 11, DataType.FLOAT);
        assertEquals('f', mask.ordering());
        assertEquals(DataType.FLOAT, mask.dataType());
        long kept = 0;
        for (int j = 0; j < nIn; j++) {
            for (int i = 0; i < nOut; i++) {
                double expected = random.nextDouble() < 0.3 ? 1 : 0;
                assertEquals(expected, mask.getDouble(j, i), "entry (" + j + ", " + i + ")");
                kept += (long) expected;
            }
        }
        assertEquals(kept, SparseSupport.count(nIn, nOut, 0.3, 11));
    }

    @Test
    void maskAllocatesNoJavaHeapInProportionToTheMatrix() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        SparseSupport.mask(10, 10, 0.5, 1, DataType.FLOAT);   // class loading and ND4J start-up
        long before = threads.getThreadAllocatedBytes(thread);
        INDArray mask = SparseSupport.mask(1500, 1500, 0.01, 3, DataType.FLOAT);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertEquals(SparseSupport.count(1500, 1500, 0.01, 3), mask.sumNumber().longValue());
        assertTrue(allocated < 1_000_000, "Java heap allocated for a 1500 x 1500 mask: " + allocated
                + " bytes; expected far below the 18 MB of a double[] copy of it");
    }

    @Test
    void aSharedMaskLivesAsLongAsALayerHoldsItAndNoLonger() throws InterruptedException {
        long nIn = 37;
        long nOut = 23;
        long seed = 987_654_321L;
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new SpectralDenseLayer.Builder().nOut(nOut).activation(Activation.TANH).sparse(0.2, seed).build())
                .layer(new SpectralOutputLayer.Builder().nOut(3).build())
                .setInputType(InputType.feedForward(nIn)).build());
        net.init();
        net.output(Nd4j.rand(DataType.FLOAT, 4, nIn));
        System.gc();
        assertTrue(SparseSupport.isShared(nIn, nOut, 0.2, seed, DataType.FLOAT), "held while the network lives");
        SpectralLayerConfig layer = (SpectralLayerConfig) net.getLayerWiseConfigurations().getConf(0).getLayer();
        assertSame(SparseSupport.sharedMask(nIn, nOut, 0.2, seed, DataType.FLOAT),
                ((WholePhiBlock) layer.getSpectral().getBlock().layout()).support(nIn, nOut, DataType.FLOAT),
                "one array, shared");

        net = null;
        layer = null;
        for (int i = 0; i < 20 && SparseSupport.isShared(nIn, nOut, 0.2, seed, DataType.FLOAT); i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertFalse(SparseSupport.isShared(nIn, nOut, 0.2, seed, DataType.FLOAT), "freed with the network");
    }
}
