package io.github.dl4jspectral.benchmarks.transfer;

import io.github.dl4jspectral.data.LabeledImages;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A classification task made of some digit classes of an image set: the images whose label lies in
 * {@code [firstClass, firstClass + classes)}, labels shifted to {@code 0 .. classes-1}, pixels scaled to [0, 1].
 * Holds the examples in memory as one FLOAT feature matrix and one one-hot label matrix.
 *
 * @param features [n, pixels]
 * @param labels   [n, classes], one-hot
 */
record DigitTask(INDArray features, INDArray labels) {

    /** The examples of {@code images} with labels {@code firstClass .. firstClass + classes - 1}, in file order. */
    static DigitTask of(LabeledImages images, int firstClass, int classes) {
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            int label = images.label(i);
            if (label >= firstClass && label < firstClass + classes) {
                chosen.add(i);
            }
        }
        int pixels = images.pixelsPerImage();
        float[] x = new float[chosen.size() * pixels];
        float[] y = new float[chosen.size() * classes];
        for (int row = 0; row < chosen.size(); row++) {
            int example = chosen.get(row);
            for (int p = 0; p < pixels; p++) {
                x[row * pixels + p] = images.pixel(example, p) / 255f;
            }
            y[row * classes + images.label(example) - firstClass] = 1f;
        }
        return new DigitTask(Nd4j.create(x, new long[]{chosen.size(), pixels}, DataType.FLOAT),
                Nd4j.create(y, new long[]{chosen.size(), classes}, DataType.FLOAT));
    }

    int size() {
        return (int) features.rows();
    }

    int classes() {
        return (int) labels.columns();
    }

    /** Examples {@code from} (inclusive) to {@code to} (exclusive). */
    DigitTask rows(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException("DigitTask: rows [" + from + ", " + to + ") of " + size()
                    + " examples; expected 0 <= from <= to <= " + size());
        }
        return new DigitTask(features.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup(),
                labels.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup());
    }

    /**
     * Trains {@code model} (a MultiLayerNetwork or ComputationGraph) for one pass over these examples in minibatches
     * of {@code batch}, in an order drawn from {@code orderSeed}; returns the wall-clock seconds.
     */
    double fitEpoch(Model model, int batch, long orderSeed) {
        int n = size();
        int[] index = java.util.stream.IntStream.range(0, n).toArray();
        Random random = new Random(orderSeed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = index[i];
            index[i] = index[j];
            index[j] = swap;
        }
        long start = System.nanoTime();
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            int[] rows = new int[to - from];
            for (int i = from; i < to; i++) {
                rows[i - from] = index[i];
            }
            DataSet minibatch = new DataSet(Nd4j.pullRows(features, 1, rows), Nd4j.pullRows(labels, 1, rows));
            if (model instanceof MultiLayerNetwork network) {
                network.fit(minibatch);
            } else {
                ((ComputationGraph) model).fit(minibatch);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Fraction of these examples that {@code model} classifies correctly (argmax of its output). */
    double accuracy(Model model) {
        int correct = 0;
        int n = size();
        for (int from = 0; from < n; from += 1000) {
            int to = Math.min(n, from + 1000);
            INDArray x = features.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            INDArray out = model instanceof MultiLayerNetwork network ? network.output(x, false)
                    : ((ComputationGraph) model).outputSingle(false, x);
            INDArray predicted = out.argMax(1);
            INDArray actual = labels.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).argMax(1);
            correct += predicted.eq(actual).castTo(DataType.INT32).sumNumber().intValue();
        }
        return correct / (double) n;
    }
}
