package io.github.dl4jspectral.benchmarks;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * One {@code fit} step (forward, backward, Adam update) and one {@code output} call of an
 * nIn - hidden tanh - nOut softmax network (default 784 - 500 - 10, batch 128) on a fixed random batch, for
 * each {@link Variant}. Run through {@link InterleavedRounds} so that variants are compared side by side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FitStepBenchmark {

    /** The network variant. */
    @Param
    public Variant variant;

    /** Minibatch size. */
    @Param("128")
    public int batch;

    /** Input width. */
    @Param("784")
    public int nIn;

    /** Hidden layer width. */
    @Param("500")
    public int hidden;

    /** Number of classes. */
    @Param("10")
    public int nOut;

    private MultiLayerNetwork net;
    private INDArray features;
    private INDArray labels;

    @Setup
    public void setUp() {
        net = variant.network(nIn, hidden, nOut);
        Nd4j.getRandom().setSeed(7);
        features = Nd4j.rand(batch, nIn);
        labels = Nd4j.zeros(batch, nOut);
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, i % nOut, 1.0);
        }
    }

    @Benchmark
    public double fitStep() {
        net.fit(features, labels);
        return net.score();
    }

    @Benchmark
    public INDArray output() {
        return net.output(features);
    }
}
