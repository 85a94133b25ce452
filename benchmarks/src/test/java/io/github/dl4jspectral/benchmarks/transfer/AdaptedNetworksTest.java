package io.github.dl4jspectral.benchmarks.transfer;

import io.github.dl4jspectral.benchmarks.claims.ResultLog;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The four fine-tuning methods start from the same function, train the numbers they claim to, and the LoRA adapter
 * computes exactly {@code act(x (W + U V^T) + b)}.
 */
class AdaptedNetworksTest {

    private static final int PIXELS = 8;
    private static final int HIDDEN = 6;

    @TempDir
    Path dir;

    private static DigitTask randomTask(int n, int classes, long seed) {
        Random r = new Random(seed);
        INDArray x = Nd4j.create(DataType.FLOAT, n, PIXELS);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < PIXELS; p++) {
                x.putScalar(i, p, r.nextFloat());
            }
            y.putScalar(i, r.nextInt(classes), 1);
        }
        return new DigitTask(x, y);
    }

    private EigenvalueTransfer transfer() throws Exception {
        TransferSettings settings = new TransferSettings(dir, 1, HIDDEN, 1, 10, List.of(1e-2), 1, List.of(50),
                List.of(0.5), 1, 1e-3, 1, 0, "test");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Sources sources = new Sources(settings, randomTask(200, 5, 1), randomTask(50, 5, 2), quiet);
        return new EigenvalueTransfer(settings, sources, randomTask(EigenvalueTransfer.VALIDATION + 60, 5, 3),
                randomTask(40, 5, 4), ResultLog.open(dir.resolve("log.csv")), quiet);
    }

    private static INDArray output(Model model, INDArray x) {
        return model instanceof MultiLayerNetwork n ? n.output(x) : ((ComputationGraph) model).outputSingle(x);
    }

    @Test
    void everyMethodStartsFromTheSameFunctionAndTrainsWhatItClaims() throws Exception {
        EigenvalueTransfer transfer = transfer();
        MultiLayerNetwork source = Sources.plain(PIXELS, HIDDEN, 5, 1e-3, 9);
        source.fit(randomTask(30, 5, 5).features(), randomTask(30, 5, 5).labels());
        INDArray x = randomTask(20, 5, 6).features();
        INDArray reference = null;
        long head = HIDDEN * 5 + 5;
        Map<String, Long> trainable = Map.of(
                "eigenvalues", (PIXELS + 2L * HIDDEN) + (3L * HIDDEN) + head,
                "lora-r1", (PIXELS + 2L * HIDDEN) + (3L * HIDDEN) + head,
                "head-only", head,
                "full", (PIXELS * HIDDEN + HIDDEN) + (HIDDEN * HIDDEN + HIDDEN) + head);
        for (String method : EigenvalueTransfer.METHODS) {
            Model model = transfer.adapted(method, source, 1e-2, 1);
            INDArray out = output(model, x);
            if (reference == null) {
                reference = out;
            }
            double deviation = Transforms.abs(out.sub(reference)).maxNumber().doubleValue();
            assertTrue(deviation <= 1e-6, method + " starts from another function: deviation " + deviation);
            assertEquals(trainable.get(method), EigenvalueTransfer.counts(model).trainable(), method + " trainable");
        }
    }

    @Test
    void theLowRankAdapterComputesWPlusUVTransposedWithWFrozen() throws Exception {
        MultiLayerNetwork source = Sources.plain(PIXELS, HIDDEN, 5, 1e-3, 9);
        INDArray headW = Nd4j.rand(DataType.FLOAT, HIDDEN, 3).subi(0.5);
        INDArray headB = Nd4j.rand(DataType.FLOAT, 1, 3);
        ComputationGraph adapter = LowRankAdapter.of(source, 2, 3, 1e-2, 1, headW, headB);
        INDArray w0 = source.getParam("0_W").dup();
        INDArray w1 = source.getParam("1_W").dup();
        DigitTask data = randomTask(40, 3, 7);
        for (int i = 0; i < 5; i++) {
            data.fitEpoch(adapter, 10, i);
        }

        assertEquals(w0, adapter.getParam("frozen0_W"), "W of layer 0 frozen");
        assertEquals(w1, adapter.getParam("frozen1_W"), "W of layer 1 frozen");
        assertTrue(adapter.getParam("up0_W").amaxNumber().doubleValue() > 0, "V of layer 0 trained away from 0");
        // An independent computation in double: relu(x (W + U V^T) + b), twice, then softmax(h W_head + b_head).
        INDArray h = data.features().castTo(DataType.DOUBLE);
        for (int k = 0; k < 2; k++) {
            INDArray w = adapter.getParam("frozen" + k + "_W").castTo(DataType.DOUBLE)
                    .add(adapter.getParam("down" + k + "_W").castTo(DataType.DOUBLE)
                            .mmul(adapter.getParam("up" + k + "_W").castTo(DataType.DOUBLE)));
            h = Transforms.relu(h.mmul(w).addRowVector(adapter.getParam("up" + k + "_b").castTo(DataType.DOUBLE)), false);
        }
        INDArray z = h.mmul(adapter.getParam("head_W").castTo(DataType.DOUBLE))
                .addRowVector(adapter.getParam("head_b").castTo(DataType.DOUBLE));
        INDArray expected = Transforms.softmax(z, false);
        double deviation = Transforms.abs(expected.sub(adapter.outputSingle(data.features()).castTo(DataType.DOUBLE)))
                .maxNumber().doubleValue();
        assertTrue(deviation < 1e-5, "adapter output deviates by " + deviation);
    }
}
