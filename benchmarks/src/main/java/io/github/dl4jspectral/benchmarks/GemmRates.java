package io.github.dl4jspectral.benchmarks;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * ND4J's matrix-multiply rate at the gemms of one fit step of a {@link Shape}'s DenseLayer network, float, into
 * preallocated arrays of the orders DL4J uses ('f' weights and weight gradients, 'c' activations), timed in process.
 * {@link InterleavedRounds} measures them once per round and shape, between the JMH forks of the variants, so the
 * rates belong to the same run (and machine state) as the steps they are compared with.
 *
 * <p>The six gemms of a fit step (three per layer) are called as {@code Nd4j.gemm(a, b, c, transposeA, transposeB,
 * 1, 0)}, ND4J's direct BLAS entry point: the machine's limit. Their summed time is the step's FLOP floor (the two
 * forward ones: the output call's). Two more entries time the forward products the way DL4J's {@code BaseLayer}
 * calls them, {@code input.mmuli(W, z)} into a 'c' ordered z inside a workspace: ND4J then multiplies into an 'f'
 * temporary and copies it into z, which at these sizes costs several times the gemm itself. They are reported,
 * not part of the floor.
 */
public final class GemmRates {

    /** The gemms of one fit step (three per layer), and DL4J's way of calling the two forward ones. */
    public enum Gemm {
        /** Hidden layer forward: {@code z = x W}, [batch, nIn] x [nIn, hidden]. */
        HIDDEN_FORWARD(true, true, false),
        /** Hidden layer weight gradient: {@code x^T delta}, [nIn, batch] x [batch, hidden]. */
        HIDDEN_WEIGHT_GRAD(true, false, false),
        /** Hidden layer input gradient: {@code W delta^T}, [nIn, hidden] x [hidden, batch]. */
        HIDDEN_INPUT_GRAD(true, false, false),
        /** Output layer forward: [batch, hidden] x [hidden, nOut]. */
        OUTPUT_FORWARD(false, true, false),
        /** Output layer weight gradient: [hidden, batch] x [batch, nOut]. */
        OUTPUT_WEIGHT_GRAD(false, false, false),
        /** Output layer input gradient: [hidden, nOut] x [nOut, batch]. */
        OUTPUT_INPUT_GRAD(false, false, false),
        /** HIDDEN_FORWARD as DL4J's BaseLayer calls it ({@code x.mmuli(W, z)}, z 'c'); not part of the floor. */
        HIDDEN_FORWARD_MMULI(true, true, true),
        /** OUTPUT_FORWARD as DL4J's BaseLayer calls it; not part of the floor. */
        OUTPUT_FORWARD_MMULI(false, true, true);

        private final boolean hidden;
        private final boolean forward;
        private final boolean mmuli;

        Gemm(boolean hidden, boolean forward, boolean mmuli) {
            this.hidden = hidden;
            this.forward = forward;
            this.mmuli = mmuli;
        }

        /** Whether this gemm counts in the FLOP floor of a fit step (the six {@code Nd4j.gemm} calls). */
        public boolean inFitFloor() {
            return !mmuli;
        }

        /** Whether this gemm counts in the FLOP floor of an output call (the two forward {@code Nd4j.gemm} calls). */
        public boolean inOutputFloor() {
            return forward && !mmuli;
        }

        /** Rows of the product, inner size, columns of the product: {@code {m, k, n}}. */
        public long[] mkn(Shape s) {
            long in = hidden ? s.nIn() : s.hidden();
            long out = hidden ? s.hidden() : s.nOut();
            return switch (this) {
                case HIDDEN_FORWARD, OUTPUT_FORWARD, HIDDEN_FORWARD_MMULI, OUTPUT_FORWARD_MMULI -> new long[]{s.batch(), in, out};
                case HIDDEN_WEIGHT_GRAD, OUTPUT_WEIGHT_GRAD -> new long[]{in, s.batch(), out};
                case HIDDEN_INPUT_GRAD, OUTPUT_INPUT_GRAD -> new long[]{in, out, s.batch()};
            };
        }

        /** {@code 2 m n k}. */
        public double flops(Shape s) {
            long[] mkn = mkn(s);
            return 2.0 * mkn[0] * mkn[1] * mkn[2];
        }
    }

    /** As DL4J's per-layer working memory workspace. */
    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder().initialSize(0)
            .overallocationLimit(0.02).policyLearning(LearningPolicy.OVER_TIME).policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE).policyAllocation(AllocationPolicy.OVERALLOCATE).build();

    private GemmRates() {
    }

    /**
     * Milliseconds per call of each gemm of {@code shape}: after {@code warmupMillis} of calls, the median of
     * {@code samples} timed batches of calls, each at least {@code sampleMillis} long.
     */
    public static Map<Gemm, Double> measure(Shape shape, long warmupMillis, int samples, long sampleMillis) {
        Map<Gemm, Double> millis = new EnumMap<>(Gemm.class);
        for (Gemm gemm : Gemm.values()) {
            Layer layer = gemm.hidden ? new Layer(shape.batch(), shape.nIn(), shape.hidden())
                    : new Layer(shape.batch(), shape.hidden(), shape.nOut());
            try {
                Runnable call = switch (gemm) {
                    case HIDDEN_FORWARD, OUTPUT_FORWARD -> layer::forward;
                    case HIDDEN_WEIGHT_GRAD, OUTPUT_WEIGHT_GRAD -> layer::weightGradient;
                    case HIDDEN_INPUT_GRAD, OUTPUT_INPUT_GRAD -> layer::inputGradient;
                    case HIDDEN_FORWARD_MMULI, OUTPUT_FORWARD_MMULI -> layer::forwardAsBaseLayer;
                };
                millis.put(gemm, time(call, warmupMillis, samples, sampleMillis));
            } finally {
                layer.close();
            }
        }
        return millis;
    }

    /** The arrays of one layer's gemms, in the orders DL4J uses ('f' weights and weight gradient, 'c' activations). */
    private static final class Layer {
        final INDArray x, w, z, delta, weightGrad, epsilon;

        Layer(long batch, long nIn, long nOut) {
            x = Nd4j.rand(DataType.FLOAT, batch, nIn);
            w = Nd4j.rand(DataType.FLOAT, nIn, nOut).dup('f');
            z = Nd4j.createUninitialized(DataType.FLOAT, batch, nOut);
            delta = Nd4j.rand(DataType.FLOAT, batch, nOut);
            weightGrad = Nd4j.createUninitialized(DataType.FLOAT, new long[]{nIn, nOut}, 'f');
            epsilon = Nd4j.createUninitialized(DataType.FLOAT, new long[]{nIn, batch}, 'f');
        }

        /** {@code z = x W}. */
        void forward() {
            Nd4j.gemm(x, w, z, false, false, 1.0, 0.0);
        }

        /** As {@code BaseLayer.preOutput}: {@code input.mmuli(W, ret)} with ret in the working memory workspace. */
        void forwardAsBaseLayer() {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, "GemmRates")) {
                x.mmuli(w, z);
            }
        }

        /** {@code x^T delta}, exactly as {@code BaseLayer.backpropGradient} computes the weight gradient. */
        void weightGradient() {
            Nd4j.gemm(x, delta, weightGrad, true, false, 1.0, 0.0);
        }

        /** {@code W delta^T} (BaseLayer: {@code W.mmuli(delta.transpose(), epsilonNext)}, the same BLAS call). */
        void inputGradient() {
            Nd4j.gemm(w, delta, epsilon, false, true, 1.0, 0.0);
        }

        void close() {
            for (INDArray a : List.of(x, w, z, delta, weightGrad, epsilon)) {
                if (a.closeable()) {
                    a.close();
                }
            }
        }
    }

    private static double time(Runnable call, long warmupMillis, int samples, long sampleMillis) {
        long warmupEnd = System.nanoTime() + warmupMillis * 1_000_000;
        int warm = 0;
        while (warm < 3 || System.nanoTime() < warmupEnd) {
            call.run();
            warm++;
        }
        List<Double> perCall = new ArrayList<>();
        for (int s = 0; s < samples; s++) {
            long start = System.nanoTime();
            long end = start + sampleMillis * 1_000_000;
            int calls = 0;
            long now;
            do {
                call.run();
                calls++;
                now = System.nanoTime();
            } while (now < end);
            perCall.add((now - start) / 1e6 / calls);
        }
        double[] sorted = perCall.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    /** Prints the rates of the matrix suite's shapes: {@code GemmRates [samples]}. A quick look, not a result. */
    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        for (Shape shape : List.of(Shape.MNIST, Shape.WIDE)) {
            Map<Gemm, Double> ms = measure(shape, 300, samples, 200);
            ms.forEach((gemm, t) -> System.out.printf("%-16s %-20s %-18s %9.3f ms %8.1f GFLOP/s%n", shape.label(), gemm,
                    Arrays.toString(gemm.mkn(shape)), t, gemm.flops(shape) / t / 1e6));
        }
    }
}
