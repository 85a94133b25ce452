package io.github.dl4jspectral.benchmarks;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A quick check for a busy machine, not a result: fit steps and output calls of several {@link Variant}s in one
 * JVM, alternating in short blocks, timed by the main thread's CPU time instead of the wall clock. Run it with
 * {@code OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1}: ND4J then does all its work on the calling thread, so the CPU
 * time counts the work and not the waiting for a core that other processes hold (wall-clock ratios on a loaded
 * 2-core machine spread from 0.5x to 3x; these stay within about +-15%). It measures single-threaded work, so it
 * compares implementations; the real figures are {@link InterleavedRounds}' on an idle machine.
 *
 * <p>Usage: {@code CpuTimeRatios nIn hidden batch rounds steps VARIANT...} (DENSE first), e.g.
 * {@code CpuTimeRatios 784 500 128 15 10 DENSE SPECTRAL_EIGENVALUES SPECTRAL_FULL}. Prints per variant the median
 * CPU milliseconds per call and the median (min - max) over rounds of its ratio to DENSE, then the same ratio to its
 * {@link Variant#twin()} for each variant whose twin is listed too (e.g. SAMEDIFF_FULL to SPECTRAL_FULL).
 */
public final class CpuTimeRatios {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuTimeRatios() {
    }

    /** See the class comment. */
    public static void main(String[] args) {
        Shape shape = new Shape(Integer.parseInt(args[0]), Integer.parseInt(args[1]), 10, Integer.parseInt(args[2]));
        int rounds = Integer.parseInt(args[3]);
        int steps = Integer.parseInt(args[4]);
        List<Variant> variants = Arrays.stream(args, 5, args.length).map(Variant::valueOf).toList();
        if (variants.isEmpty() || variants.get(0) != Variant.DENSE) {
            throw new IllegalArgumentException("list the variants after the settings, DENSE first");
        }
        Nd4j.getRandom().setSeed(7);
        INDArray features = Nd4j.rand(shape.batch(), shape.nIn());
        INDArray labels = Nd4j.zeros(shape.batch(), shape.nOut());
        for (int i = 0; i < shape.batch(); i++) {
            labels.putScalar(i, i % shape.nOut(), 1.0);
        }
        Map<Variant, MultiLayerNetwork> nets = new EnumMap<>(Variant.class);
        Map<Variant, double[]> fit = new EnumMap<>(Variant.class);
        Map<Variant, double[]> output = new EnumMap<>(Variant.class);
        for (Variant v : variants) {
            nets.put(v, v.network(shape.nIn(), shape.hidden(), shape.nOut()));
            fit.put(v, new double[rounds]);
            output.put(v, new double[rounds]);
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < variants.size(); i++) {
                Variant v = variants.get((i + round) % variants.size());
                MultiLayerNetwork net = nets.get(v);
                fit.get(v)[round] = cpuMillisPerCall(() -> net.fit(features, labels), steps);
                output.get(v)[round] = cpuMillisPerCall(() -> net.output(features), steps);
            }
        }
        System.out.printf(Locale.ROOT, "%s, %d rounds of %d calls, main-thread CPU time%n", shape.label(), rounds, steps);
        for (Variant v : variants) {
            System.out.printf(Locale.ROOT, "%-26s fit %9.3f ms  x DENSE %s   output %9.3f ms  x DENSE %s%n", v,
                    median(fit.get(v)), ratios(fit.get(v), fit.get(Variant.DENSE)), median(output.get(v)),
                    ratios(output.get(v), output.get(Variant.DENSE)));
        }
        for (Variant v : variants) {
            Variant twin = v.twin();
            if (twin != Variant.DENSE && fit.containsKey(twin)) {
                System.out.printf(Locale.ROOT, "%-26s fit x %s %s   output x %s %s%n", v, twin,
                        ratios(fit.get(v), fit.get(twin)), twin, ratios(output.get(v), output.get(twin)));
            }
        }
    }

    private static double cpuMillisPerCall(Runnable call, int calls) {
        for (int i = 0; i < 3; i++) {
            call.run();
        }
        long start = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) {
            call.run();
        }
        return (THREADS.getCurrentThreadCpuTime() - start) / 1e6 / calls;
    }

    private static String ratios(double[] values, double[] reference) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            r.add(values[i] / reference[i]);
        }
        double[] sorted = r.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "%.3f (%.3f - %.3f)", median(sorted), sorted[0], sorted[sorted.length - 1]);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
