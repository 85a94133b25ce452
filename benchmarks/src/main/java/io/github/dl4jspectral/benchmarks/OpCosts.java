package io.github.dl4jspectral.benchmarks;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.util.SameDiffUtils;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarSubtraction;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the time of a spectral layer goes: times each ND4J building block of the forward and backward
 * pass of an nIn x nOut map on a batch (784 x 500, batch 128 unless given), in interleaved
 * rounds, and prints the median milliseconds per call. "now" blocks are what {@code SpectralMap} does, "before"
 * blocks what it did before (kept for comparison), "(DenseLayer)" what DL4J's DenseLayer does; then, for the
 * SameDiff map graph in the library's two forms of D, the time of each op SameDiff runs in a forward and gradient
 * call (from its listener hooks, output allocation excluded). A profiling aid, not a JMH benchmark: compare the
 * blocks with each other, within one run.
 *
 * <p>Usage: {@code java -cp <benchmarks classpath> io.github.dl4jspectral.benchmarks.OpCosts [rounds] [cpu|wall] [nIn nOut batch]}. With
 * {@code cpu} the blocks are timed by the main thread's CPU time, which with {@code OMP_NUM_THREADS=1
 * OPENBLAS_NUM_THREADS=1} (all ND4J work on the calling thread) stays meaningful on a busy machine; the wall clock
 * with 1 and 2 threads shows which blocks use the second core. The SameDiff blocks allocate outside workspaces and
 * rely on the garbage collector to free native memory: at 2048 x 2048 start the JVM with {@code -Xmx2g
 * -Dorg.bytedeco.javacpp.maxbytes=8G}, which makes JavaCPP collect before the machine runs out of memory.
 */
public final class OpCosts {

    private static final int CALLS = 30;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        boolean cpu = args.length > 1 && args[1].equals("cpu");
        int nIn = args.length > 4 ? Integer.parseInt(args[2]) : 784;
        int nOut = args.length > 4 ? Integer.parseInt(args[3]) : 500;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 128;
        INDArray x = Nd4j.rand(batch, nIn);
        INDArray delta = Nd4j.rand(batch, nOut);
        INDArray phi = Nd4j.rand(nIn, nOut).dup('f');
        INDArray lambdaIn = Nd4j.rand(1, nIn).reshape(nIn);
        INDArray lambdaOut = Nd4j.rand(1, nOut).reshape(nOut);
        INDArray w = Nd4j.create(new int[]{nIn, nOut}, 'f');
        INDArray scratch = Nd4j.create(new int[]{nIn, nOut}, 'f');
        INDArray g = Nd4j.create(new int[]{nIn, nOut}, 'f');
        INDArray z = Nd4j.create(batch, nOut);
        INDArray rowSums = Nd4j.create(1, nIn);
        INDArray columnSums = Nd4j.create(1, nOut);

        INDArray left = Nd4j.create(new int[]{nIn, 2}, 'f');
        left.getColumn(1).assign(1.0);
        INDArray right = Nd4j.create(new int[]{2, nOut}, 'c');
        right.getRow(0).assign(1.0);
        INDArray d = Nd4j.create(new int[]{nIn, nOut}, 'f');
        INDArray onesIn = Nd4j.ones(1, nIn);
        INDArray onesOut = Nd4j.ones(1, nOut);
        INDArray epsilon = Nd4j.create(new int[]{nIn, batch}, 'f');

        Map<String, Runnable> blocks = new LinkedHashMap<>();
        blocks.put("gemm z = x W, Nd4j.gemm (spectral layer)", () -> Nd4j.gemm(x, w, z, false, false, 1.0, 0.0));
        blocks.put("gemm z = x W, x.mmuli(W, z) (DenseLayer)", () -> x.mmuli(w, z));
        blocks.put("gemm G = x^T delta (both)", () -> Nd4j.gemm(x, delta, g, true, false, 1.0, 0.0));
        blocks.put("gemm W delta^T (both)", () -> Nd4j.gemm(w, delta, epsilon, false, true, 1.0, 0.0));
        INDArray lambdaOutColumns = lambdaOut.dup();
        blocks.put("W now: D column by column (copy lambdaIn, minus lambdaOut per column)", () -> {
            Nd4j.getExecutioner().exec(new BroadcastCopyOp(d, lambdaIn, d, 0));
            ScalarSubtraction minusLambdaOut = new ScalarSubtraction(d, lambdaOutColumns, d, 0);
            minusLambdaOut.setDimension(0);
            Nd4j.getExecutioner().exec(minusLambdaOut);
        });
        blocks.put("W until 2026-12-02: D by rank-2 gemm", () -> {
            left.getColumn(0).assign(lambdaIn);
            right.getRow(1).assign(lambdaOut).negi();
            Nd4j.gemm(left, right, d, false, false, 1.0, 0.0);
        });
        blocks.put("W now: phi .* D", () -> Nd4j.getExecutioner().exec(new MulOp(phi, d, w)));
        blocks.put("W before: phi .* lambdaIn (broadcast)", () -> Nd4j.getExecutioner().exec(new BroadcastMulOp(phi, lambdaIn, w, 0)));
        blocks.put("W before: phi .* lambdaOut (broadcast)", () -> Nd4j.getExecutioner().exec(new BroadcastMulOp(phi, lambdaOut, scratch, 1)));
        blocks.put("W before: subtract", () -> w.subi(scratch));
        blocks.put("dphi now: G .* D", () -> Nd4j.getExecutioner().exec(new MulOp(g, d, scratch)));
        blocks.put("dphi before: two broadcasts and a subtract", () -> {
            Nd4j.getExecutioner().exec(new BroadcastMulOp(g, lambdaOut, scratch, 1));
            Nd4j.getExecutioner().exec(new BroadcastMulOp(g, lambdaIn, w, 0));
            w.subi(scratch);
        });
        blocks.put("eigenvalue grads: G .* phi", () -> Nd4j.getExecutioner().exec(new MulOp(g, phi, scratch)));
        blocks.put("eigenvalue grads now: row and column sums by gemm", () -> {
            Nd4j.gemm(onesOut, scratch, rowSums, false, true, 1.0, 0.0);
            Nd4j.gemm(onesIn, scratch, columnSums, false, false, -1.0, 0.0);
        });
        blocks.put("eigenvalue grads before: row and column sums by sum()", () -> {
            scratch.sum(rowSums, 1);
            scratch.sum(columnSums, 0);
        });
        blocks.put("eigenvalue grads now: row sums by gemm", () -> Nd4j.gemm(onesOut, scratch, rowSums, false, true, 1.0, 0.0));
        blocks.put("eigenvalue grads now: column sums by gemm", () -> Nd4j.gemm(onesIn, scratch, columnSums, false, false, -1.0, 0.0));
        blocks.put("frozen group: zero its gradient", () -> scratch.assign(0));
        INDArray bias = Nd4j.rand(1, nOut);
        INDArray kept = Nd4j.create(batch, nOut);
        blocks.put("bias: z += b (addiRowVector)", () -> z.addiRowVector(bias));
        blocks.put("handoff: copy z", () -> kept.assign(z));
        INDArray phiCopy = phi.dup('f');
        blocks.put("inference reuse: copy phi", () -> phiCopy.assign(phi));
        blocks.put("inference reuse: compare phi with its copy (bytes)", () -> {
            int bytes = nIn * nOut * Float.BYTES;
            if (phi.data().asNio().slice(0, bytes).mismatch(phiCopy.data().asNio().slice(0, bytes)) != -1) {
                throw new IllegalStateException("copy differs");
            }
        });
        // An ND4J elementwise pass right before a multi-threaded gemm: ND4J's OpenMP threads keep spinning after the
        // pass and take cores from the gemm's BLAS threads (compare with the two blocks timed alone).
        blocks.put("sequence: phi .* D, then gemm z = x W", () -> {
            Nd4j.getExecutioner().exec(new MulOp(phi, d, w));
            Nd4j.gemm(x, w, z, false, false, 1.0, 0.0);
        });
        // The SameDiff layer's map graph x -> x (phi .* D), forward and gradient (dL/dx and the eigenvalues'), in four
        // forms: SpectralGraph's two (SUBTRACTION below 2^20 elements of W, PRODUCT from there on; mirrored here) and
        // two alternatives.
        Map<DForm, MapGraph> mapGraphs = new EnumMap<>(DForm.class);
        for (DForm form : DForm.values()) {
            MapGraph graph = mapGraph(phi, lambdaIn, lambdaOut, form, x, delta);
            mapGraphs.put(form, graph);
            blocks.put("SameDiff map graph, " + form.label + ": forward", graph::forward);
            blocks.put("SameDiff map graph, " + form.label + ": gradient", graph::gradient);
        }
        // The ops SameDiff runs for D and its gradient in each form, executed eagerly (no graph, preallocated outputs).
        INDArray leftRows = Nd4j.rand(2, nIn);
        INDArray dD = Nd4j.rand(nIn, nOut);
        INDArray dLeft = Nd4j.create(2, nIn);
        INDArray dRight = Nd4j.create(2, nOut);
        INDArray lambdaInColumn = lambdaIn.reshape(nIn, 1).dup();
        INDArray lambdaOutRow = lambdaOut.reshape(1, nOut).dup();
        INDArray dIn = Nd4j.create(nIn, 1);
        INDArray dOut = Nd4j.create(1, nOut);
        INDArray dC = Nd4j.create(nIn, nOut);
        blocks.put("D op: matmul [lambdaIn; -1]^T [1; lambdaOut]", () -> Nd4j.exec(DynamicCustomOp.builder("matmul")
                .addInputs(leftRows, right).addOutputs(dC).addIntegerArguments(1, 0, 0).build()));
        blocks.put("D op: matmul_bp of it", () -> Nd4j.exec(DynamicCustomOp.builder("matmul_bp")
                .addInputs(leftRows, right, dD).addOutputs(dLeft, dRight).addIntegerArguments(1, 0, 0).build()));
        blocks.put("D op: subtract lambdaIn^T - lambdaOut", () -> Nd4j.exec(DynamicCustomOp.builder("subtract")
                .addInputs(lambdaInColumn, lambdaOutRow).addOutputs(dC).build()));
        blocks.put("D op: subtract_bp of it", () -> Nd4j.exec(DynamicCustomOp.builder("subtract_bp")
                .addInputs(lambdaInColumn, lambdaOutRow, dD).addOutputs(dIn, dOut).build()));
        // The SameDiff layer's output graph xW -> tanh(xW + b) against the same step done by DL4J's activation.
        SameDiff output = SameDiff.create();
        SDVariable xwIn = output.placeHolder("xW", z.dataType(), -1, nOut);
        SDVariable y = Activation.TANH.asSameDiff("y", output, xwIn.add(output.var("b", bias.dup())));
        String outputErrors = SameDiffUtils.externalErrors(output, null, y).getGradPlaceholderName();
        quietly(() -> output.createGradFunction("xW"));
        Map<String, INDArray> outputFeed = Map.of("xW", z);
        Map<String, INDArray> outputFeedErrors = Map.of("xW", z, outputErrors, delta);
        blocks.put("SameDiff output graph tanh(xW + b): forward", () -> output.output(outputFeed, "y"));
        blocks.put("SameDiff output graph tanh(xW + b): gradient", () -> output.calculateGradients(outputFeedErrors,
                List.of("xW", "b")));
        IActivation tanh = Activation.TANH.getActivationFunction();
        INDArray biasGradient = Nd4j.create(1, nOut);
        blocks.put("DL4J activation: tanh(xW + b), forward", () -> tanh.getActivation(z.addRowVector(bias), true));
        blocks.put("DL4J activation: tanh(xW + b), gradient and bias sum", () ->
                tanh.backprop(z.addRowVector(bias), delta.dup()).getFirst().sum(biasGradient, 0));
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            blocks.forEach((name, block) -> millis.computeIfAbsent(name, k -> new ArrayList<>()).add(time(block, cpu)));
        }
        System.out.printf("%-56s %10s%n", "block (" + nIn + " x " + nOut + ", batch " + batch + ")", "median ms");
        millis.forEach((name, values) -> {
            Collections.sort(values);
            System.out.printf("%-56s %10.3f%n", name, values.get(values.size() / 2));
        });
        // Where a map graph's time goes: each op SameDiff runs in one forward call and one gradient call, timed from
        // SameDiff's listener hooks around the op (inputs prepared, output allocated), to compare with the eager
        // blocks above.
        for (DForm form : List.of(DForm.SUBTRACTION, DForm.PRODUCT)) {
            MapGraph graph = mapGraphs.get(form);
            OpTimes opTimes = new OpTimes();
            graph.sd().setListeners(opTimes);
            Runnable step = () -> {
                graph.forward();
                graph.gradient();
            };
            time(step, cpu);
            opTimes.reset();
            for (int round = 0; round < rounds; round++) {
                time(step, cpu);
            }
            System.out.printf("%-56s %10s%n", "SameDiff map graph, " + form.label + ", per op", "ms/step");
            opTimes.print(rounds * (CALLS + 5L));
        }
    }

    /** Wall time per SameDiff op (name and output shape), summed over the calls of the graph it listens to. */
    private static final class OpTimes extends BaseListener {
        private final Map<String, Long> nanos = new TreeMap<>();
        private long start;

        @Override
        public boolean isActive(Operation operation) {
            return true;
        }

        @Override
        public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext context) {
            start = System.nanoTime();
        }

        @Override
        public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext context,
                                INDArray[] outputs) {
            String shape = outputs.length == 0 ? "" : Arrays.toString(outputs[0].shape());
            nanos.merge(op.getOp().opName() + " -> " + shape, System.nanoTime() - start, Long::sum);
        }

        void reset() {
            nanos.clear();
        }

        void print(long steps) {
            nanos.forEach((op, total) -> System.out.printf("  %-54s %10.3f%n", op, total / 1e6 / steps));
        }
    }

    /** A map graph with what its forward call (x) and its gradient call (x and dL/d(x W)) are fed. */
    private record MapGraph(SameDiff sd, Map<String, INDArray> feed, Map<String, INDArray> feedErrors) {

        void forward() {
            sd.output(feed, "xW");
        }

        void gradient() {
            sd.calculateGradients(feedErrors, List.of("x", "lambdaIn", "lambdaOut"));
        }
    }

    /** How a map graph forms x W = x (phi .* D), D = lambdaIn^T - lambdaOut. */
    private enum DForm {
        SUBTRACTION("D by broadcast subtraction"),
        PRODUCT("D as rank-2 product [lambdaIn; -1]^T [1; lambdaOut]"),
        OUTER("D as lambdaIn^T 1 - 1^T lambdaOut, two outer products"),
        FACTORED("no W: (x .* lambdaIn) phi - (x phi) .* lambdaOut");

        private final String label;

        DForm(String label) {
            this.label = label;
        }
    }

    /** x -> x (phi .* D) in the given form, fed x = {@code input} and, for its gradient, {@code delta} = dL/d(x W). */
    private static MapGraph mapGraph(INDArray phi, INDArray lambdaIn, INDArray lambdaOut, DForm form, INDArray input,
                                     INDArray delta) {
        long nIn = phi.size(0), nOut = phi.size(1);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", phi.dataType(), -1, nIn);
        SDVariable in = sd.var("lambdaIn", lambdaIn.reshape(1, nIn).dup());
        SDVariable out = sd.var("lambdaOut", lambdaOut.reshape(1, nOut).dup());
        SDVariable p = sd.var("phi", phi.dup('c'));
        SDVariable xW = switch (form) {
            case SUBTRACTION -> x.mmul("xW", p.mul(in.reshape(-1, 1).sub(out)));
            case PRODUCT -> x.mmul("xW", p.mul(sd.mmul(sd.concat(0, in, sd.constant(Nd4j.valueArrayOf(
                    new long[]{1, nIn}, -1.0, phi.dataType()))), sd.concat(0, sd.constant(Nd4j.ones(phi.dataType(), 1,
                    nOut)), out), true, false, false)));
            case OUTER -> x.mmul("xW", p.mul(sd.mmul(in, sd.constant(Nd4j.ones(phi.dataType(), 1, nOut)), true, false,
                    false).sub(sd.mmul(sd.constant(Nd4j.ones(phi.dataType(), 1, nIn)), out, true, false, false))));
            case FACTORED -> x.mul(in).mmul(p).sub("xW", x.mmul(p).mul(out));
        };
        String errors = SameDiffUtils.externalErrors(sd, null, xW).getGradPlaceholderName();
        quietly(() -> sd.createGradFunction("x"));
        return new MapGraph(sd, Map.of("x", input), Map.of("x", input, errors, delta));
    }

    /** Runs {@code action} with System.out muted (ND4J prints a line per differentiated op). */
    private static void quietly(Runnable action) {
        PrintStream original = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
    }

    private static double time(Runnable block, boolean cpu) {
        for (int i = 0; i < 5; i++) {
            block.run();
        }
        long start = now(cpu);
        for (int i = 0; i < CALLS; i++) {
            block.run();
        }
        return (now(cpu) - start) / 1e6 / CALLS;
    }

    private static long now(boolean cpu) {
        return cpu ? ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() : System.nanoTime();
    }
}
