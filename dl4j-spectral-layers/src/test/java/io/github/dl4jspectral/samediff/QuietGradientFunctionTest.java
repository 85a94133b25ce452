package io.github.dl4jspectral.samediff;

import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.testing.Nets;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SameDiff layer prints nothing of SameDiff's gradient-function creation, and leaves System.out as it was. */
class QuietGradientFunctionTest {

    private static final String SAMEDIFF_LINE = "Added differentiated op";

    /** What {@code action} prints to System.out; fails unless System.out is the same stream afterwards. */
    private static String stdout(Consumer<PrintStream> action) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        try {
            action.accept(capture);
            assertSame(capture, System.out, "System.out is put back");
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(3).updater(new Adam(0.01)).list()
                .layer(new SameDiffSpectralDenseLayer.Builder().nOut(6).activation(Activation.TANH)
                        .preset(SpectralPreset.FULL).build())
                .layer(new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(5)).build());
        net.init();
        return net;
    }

    @Test
    void sameDiffItselfPrintsALinePerDifferentiatedOp() {
        String out = stdout(capture -> {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 3);
            SDVariable w = sd.var("w", DataType.DOUBLE, 3, 2);
            x.mmul(w).sum().markAsLoss();
            sd.createGradFunction();
        });
        assertTrue(out.contains(SAMEDIFF_LINE), "the premise of this test: ND4J prints these lines; got: " + out);
    }

    @Test
    void fittingTheSameDiffLayerPrintsNoSameDiffLines() {
        String out = stdout(capture -> {
            MultiLayerNetwork net = network();
            for (int i = 0; i < 3; i++) {
                net.fit(Nets.features(DataType.DOUBLE, i, 8, 5), Nets.oneHot(DataType.DOUBLE, i, 8, 3));
            }
            System.out.println("printed after fitting");
        });
        assertFalse(out.contains(SAMEDIFF_LINE), out.lines().limit(5).toList().toString());
        assertTrue(out.contains("printed after fitting"), "other output still reaches System.out: " + out);
    }

    @Test
    void dl4jsOwnBackwardPassIsQuietToo() {
        String out = stdout(capture -> {
            MultiLayerNetwork net = network();
            net.initGradientsView();
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
            var layer = (SameDiffSpectralDenseRuntimeLayer) net.getLayer(0);
            layer.setInput(Nets.features(DataType.DOUBLE, 1, 4, 5), mgr);
            layer.uncorrectedBackpropGradient(Nets.features(DataType.DOUBLE, 2, 4, 6), mgr);
        });
        assertFalse(out.contains(SAMEDIFF_LINE), out.lines().limit(5).toList().toString());
    }
}
