package io.github.dl4jspectral.conf;

import io.github.dl4jspectral.testing.Nets;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code getMemoryReport} reports the working memory each block really uses: checked against the bytes a DL4J
 * workspace sees the layer allocate in a forward and a backward pass, and against the sizes of a large layer.
 */
class MemoryReportTest {

    private static final int N_IN = 10;
    private static final int N_OUT = 6;

    static Stream<Arguments> blocksWithAndWithoutSparsity() {
        return Stream.of(EigenvectorBlock.dense(), EigenvectorBlock.sparse(0.5, 1), EigenvectorBlock.lowRank(4),
                        EigenvectorBlock.svd(), EigenvectorBlock.qr())
                .flatMap(b -> Stream.of(Arguments.of(b, 0.0), Arguments.of(b, 0.5)));
    }

    private static LayerMemoryReport report(SpectralDenseLayer layer, long nIn) {
        return (LayerMemoryReport) layer.getMemoryReport(InputType.feedForward(nIn));
    }

    /** A workspace manager whose only workspace is for arrays of {@code type}. */
    private static LayerWorkspaceMgr onlyWorkspaceFor(ArrayType type) {
        LayerWorkspaceMgr.Builder builder = LayerWorkspaceMgr.builder();
        for (ArrayType t : ArrayType.values()) {
            if (t != type) {
                builder.noWorkspaceFor(t);
            }
        }
        return builder.with(type, "memoryReportTest" + type, WorkspaceConfiguration.builder().build()).build();
    }

    /** Elements (double precision) the runtime layer allocates in its working memory in one pass. */
    private static long measured(Layer layer, INDArray x, INDArray epsilon, boolean backward) {
        ArrayType type = backward ? ArrayType.BP_WORKING_MEM : ArrayType.FF_WORKING_MEM;
        LayerWorkspaceMgr mgr = onlyWorkspaceFor(type);
        try (MemoryWorkspace ws = mgr.notifyScopeEntered(type)) {
            layer.setInput(x, mgr);
            if (backward) {
                layer.backpropGradient(epsilon, mgr);
            } else {
                layer.activate(false, mgr);
            }
            return ws.getThisCycleAllocations() / DataType.DOUBLE.width();
        }
    }

    @ParameterizedTest(name = "{0}, magnitude sparsity {1}")
    @MethodSource("blocksWithAndWithoutSparsity")
    void reportedWorkingMemoryIsWhatEachPassAllocates(EigenvectorBlock block, double sparsity) {
        SpectralDenseLayer conf = new SpectralDenseLayer.Builder().nOut(N_OUT).activation(Activation.IDENTITY)
                .preset(SpectralPreset.FULL).eigenvectorBlock(block).magnitudeSparsity(sparsity).build();
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(1).updater(new Adam(0.1)).list()
                .layer(conf).layer(new SpectralOutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.feedForward(N_IN)).build());
        net.init();
        net.initGradientsView();
        Layer layer = net.getLayer(0);
        LayerMemoryReport report = report((SpectralDenseLayer) net.getLayerWiseConfigurations().getConf(0).getLayer(), N_IN);
        long trainingFixed = report.getWorkingMemoryFixedTrain().get(CacheMode.NONE);
        // Training's per-example part also holds the pre-activation [minibatch, nOut], as DL4J's DenseLayer reports.
        long trainingPerExample = report.getWorkingMemoryVariableTrain().get(CacheMode.NONE) - N_OUT;

        for (int batch : new int[]{4, 8}) {
            INDArray x = Nets.features(DataType.DOUBLE, batch, batch, N_IN);
            INDArray epsilon = Nets.features(DataType.DOUBLE, batch + 1, batch, N_OUT);
            // Arrays the layer keeps outside workspaces from pass to pass (W, D, the mask, the copy of W's sources, a
            // SPARSE block's support) are part of the report but not of what a workspace sees: found in the layer.
            long forward = measured(layer, x, epsilon, false);
            assertEquals(report.getWorkingMemoryFixedInference() + batch * report.getWorkingMemoryVariableInference(),
                    forward + heldOutsideWorkspaces(layer), "forward pass, minibatch " + batch);
            long backward = measured(layer, x, epsilon, true);
            assertEquals(trainingFixed + batch * trainingPerExample, backward + heldOutsideWorkspaces(layer),
                    "backward pass, minibatch " + batch);
        }
    }

    /**
     * Arrays a runtime layer keeps between passes that the report leaves out, named with the reason: the vectors of
     * ones of its sum gemms ({@code layers.SumVectors}, nIn + nOut elements, never changed), which the report's
     * {@code WorkingMemory} does not list.
     */
    private static final Set<String> NOT_WORKING_MEMORY = Set.of("io.github.dl4jspectral.layers.SumVectors");

    /**
     * Elements of the distinct arrays that the runtime layer and its configuration hold in their own fields (the
     * library's classes, followed recursively; DL4J's fields, which hold the parameters, gradients and input, are
     * not), found by walking the objects rather than taken from the report's formulas.
     */
    private static long heldOutsideWorkspaces(Layer layer) {
        Set<Object> buffers = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Object> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        walk(layer, buffers, visited);
        walk(layer.conf().getLayer(), buffers, visited);
        // views of the parameters and gradients (a whole-phi layer's W refers to its phi) are not working memory
        buffers.remove(original(layer.params()));
        buffers.remove(original(layer.getGradientsViewArray()));
        return buffers.stream().mapToLong(b -> ((DataBuffer) b).length()).sum();
    }

    /** The buffer an array's data lives in (for a view, the buffer of the array it views). */
    private static DataBuffer original(INDArray array) {
        DataBuffer buffer = array.data();
        return buffer.originalDataBuffer() != null ? buffer.originalDataBuffer() : buffer;
    }

    private static void walk(Object object, Set<Object> buffers, Set<Object> visited) {
        if (object == null || !visited.add(object)) {
            return;
        }
        if (object instanceof INDArray array) {
            if (!array.isEmpty()) {
                buffers.add(original(array));
            }
            return;
        }
        if (object instanceof Reference<?> reference) {
            walk(reference.get(), buffers, visited);
            return;
        }
        if (object instanceof Map<?, ?> map) {
            map.values().forEach(v -> walk(v, buffers, visited));
            return;
        }
        if (object instanceof Iterable<?> items) {
            items.forEach(v -> walk(v, buffers, visited));
            return;
        }
        if (object instanceof Object[] items) {
            for (Object v : items) {
                walk(v, buffers, visited);
            }
            return;
        }
        if (NOT_WORKING_MEMORY.contains(object.getClass().getName())) {
            return;
        }
        for (Class<?> c = object.getClass(); c != null; c = c.getSuperclass()) {
            if (!c.getName().startsWith("io.github.dl4jspectral.")) {
                continue;
            }
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                    continue;
                }
                field.setAccessible(true);
                try {
                    walk(field.get(object), buffers, visited);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(field.toString(), e);
                }
            }
        }
    }

    @Test
    void lowRankReportIsSmallAndScalesWithTheRankWhileDenseKeepsItsNInNOutArrays() {
        long n = 4096;
        LayerMemoryReport rank8 = report(new SpectralDenseLayer.Builder().nIn(n).nOut(n).lowRank(8).build(), n);
        LayerMemoryReport rank16 = report(new SpectralDenseLayer.Builder().nIn(n).nOut(n).lowRank(16).build(), n);
        LayerMemoryReport dense = report(new SpectralDenseLayer.Builder().nIn(n).nOut(n).build(), n);

        assertEquals(8 * (n + n) + 3 * n, rank8.getParameterSize(), "77,824 parameters");
        // Forward pass of a factored map: A [nIn, 2r], B [nOut, 2r], and H = x A [minibatch, 2r].
        assertEquals(2 * 8 * (n + n), rank8.getWorkingMemoryFixedInference());
        assertEquals(2 * 8, rank8.getWorkingMemoryVariableInference());
        assertEquals(2 * rank8.getWorkingMemoryFixedInference(), rank16.getWorkingMemoryFixedInference(), "linear in r");
        assertEquals(2 * rank8.getWorkingMemoryVariableInference(), rank16.getWorkingMemoryVariableInference());
        assertEquals(2 * (rank8.getWorkingMemoryFixedTrain().get(CacheMode.NONE)),
                rank16.getWorkingMemoryFixedTrain().get(CacheMode.NONE), "linear in r");
        long inferenceBytes = rank8.getTotalMemoryBytes(1, MemoryUseMode.INFERENCE, CacheMode.NONE, DataType.FLOAT);
        assertTrue(inferenceBytes < 1_000_000, "LOW_RANK(8) 4096 x 4096 inference: " + inferenceBytes + " bytes");

        // A DENSE block keeps W and D = lambdaIn^T - lambdaOut whole, and the copy of phi and the eigenvalues that
        // lets an inference pass reuse W.
        assertEquals(3 * n * n + 2 * n, dense.getWorkingMemoryFixedInference());
        assertEquals(3 * n * n + 2 * n, (long) dense.getWorkingMemoryFixedTrain().get(CacheMode.NONE));
        assertTrue(dense.getTotalMemoryBytes(1, MemoryUseMode.INFERENCE, CacheMode.NONE, DataType.FLOAT) > 4 * 2 * n * n);
    }
}
