package io.github.dl4jspectral.compact;

import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.count.ParameterCounts;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compact file sizes of EIGENVALUES networks (float, Adam, after one fit step), which are deterministic: the frozen phi
 * costs nothing, so a file holds the trained numbers (4 bytes each), Adam's two moments of each (8 bytes) if asked
 * for, and the configuration. Issue 16's targets (16 KB at 784-500-10, 64 KB at 2048-2048-10) hold without the updater
 * state; with it the file cannot be smaller than 12 bytes per trained number (see benchmarks/RESULTS.md, memory).
 */
class CompactModelSizeTest {

    private static MultiLayerNetwork trainedEigenvalues(int nIn, int hidden, int nOut) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .list()
                .layer(new SpectralDenseLayer.Builder().nOut(hidden).activation(Activation.TANH)
                        .preset(SpectralPreset.EIGENVALUES).build())
                .layer(new SpectralOutputLayer.Builder().nOut(nOut).activation(Activation.SOFTMAX)
                        .preset(SpectralPreset.EIGENVALUES).build())
                .setInputType(InputType.feedForward(nIn)).build());
        net.init();
        Nd4j.getRandom().setSeed(7);
        INDArray features = Nd4j.rand(32, nIn);
        INDArray labels = Nd4j.zeros(32, nOut);
        for (int i = 0; i < 32; i++) {
            labels.putScalar(i, i % nOut, 1.0);
        }
        net.fit(features, labels);
        return net;
    }

    @ParameterizedTest(name = "{0}-{1}-{2}")
    @CsvSource({"784, 500, 10, 16384", "2048, 2048, 10, 65536"})
    void anEigenvaluesNetworkFileGrowsWithItsTrainedNumbers(int nIn, int hidden, int nOut, long target,
                                                             @TempDir Path dir) throws IOException {
        MultiLayerNetwork net = trainedEigenvalues(nIn, hidden, nOut);
        long trained = ParameterCounts.of(net).trainable();
        assertEquals(nIn + 2L * hidden + hidden + 2L * nOut, trained);
        Path withUpdater = dir.resolve("with.zip");
        Path withoutUpdater = dir.resolve("without.zip");
        CompactModelFile.write(net, withUpdater, true);
        CompactModelFile.write(net, withoutUpdater, false);
        long with = Files.size(withUpdater);
        long without = Files.size(withoutUpdater);
        System.out.printf("%d-%d-%d EIGENVALUES: trained %d, compact with updater %d bytes, without %d bytes%n",
                nIn, hidden, nOut, trained, with, without);

        assertTrue(without <= target, "without updater " + without + " bytes; target " + target);
        long configurationAllowance = 4096;
        assertTrue(with <= 12 * trained + configurationAllowance,
                "with updater " + with + " bytes; expected at most 12 bytes per trained number + the configuration");
        assertArrayEquals(net.params().toFloatVector(),
                CompactModelFile.readMultiLayerNetwork(withUpdater).params().toFloatVector());
    }
}
