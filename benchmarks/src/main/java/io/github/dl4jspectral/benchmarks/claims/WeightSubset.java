package io.github.dl4jspectral.benchmarks.claims;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Training in direct space restricted to a random subset of the weights (Nat. Commun. 2021's control: "standard
 * methods restricted to operate with an identical number of free parameters"). In every chosen weight matrix,
 * {@code count} positions drawn without replacement by the seed keep their gradient; every other entry of the
 * gradient is set to zero after it is computed and before the updater sees it. With Adam (or plain SGD) from a
 * fresh state a weight whose gradient is always zero never moves, so exactly the chosen weights train.
 */
final class WeightSubset extends BaseTrainingListener {

    private final Map<String, INDArray> masks;

    private WeightSubset(Map<String, INDArray> masks) {
        this.masks = masks;
    }

    /**
     * Restricts the training of {@code network} to {@code counts[i]} weights of layer i's {@code W} (a layer with
     * count -1 is left whole) and returns the listener it added.
     */
    static WeightSubset restrict(MultiLayerNetwork network, int[] counts, long seed) {
        if (counts.length != network.getnLayers()) {
            throw new IllegalArgumentException("WeightSubset: counts.length = " + counts.length + "; expected the "
                    + network.getnLayers() + " layers of the network");
        }
        Random random = new Random(seed);
        Map<String, INDArray> masks = new LinkedHashMap<>();
        for (int layer = 0; layer < counts.length; layer++) {
            if (counts[layer] < 0) {
                continue;
            }
            INDArray w = network.getLayer(layer).getParam("W");
            long rows = w.rows();
            long columns = w.columns();
            long size = rows * columns;
            if (counts[layer] > size) {
                throw new IllegalArgumentException("WeightSubset: counts[" + layer + "] = " + counts[layer]
                        + "; expected at most the " + size + " weights of that layer");
            }
            INDArray mask = Nd4j.zeros(w.dataType(), rows, columns);
            for (long position : distinct(random, counts[layer], size)) {
                mask.putScalar(new long[]{position / columns, position % columns}, 1);
            }
            masks.put(layer + "_W", mask);
        }
        WeightSubset listener = new WeightSubset(masks);
        network.addListeners(listener);
        return listener;
    }

    /** {@code count} distinct values of [0, size), Floyd's algorithm. */
    private static Set<Long> distinct(Random random, int count, long size) {
        Set<Long> chosen = new HashSet<>();
        for (long j = size - count; j < size; j++) {
            long t = (long) (random.nextDouble() * (j + 1));
            if (!chosen.add(t)) {
                chosen.add(j);
            }
        }
        return chosen;
    }

    /** The weights that train, summed over the restricted layers. */
    long trainable() {
        long n = 0;
        for (INDArray mask : masks.values()) {
            n += mask.sumNumber().longValue();
        }
        return n;
    }

    /** The entries of the restricted layers that never train. */
    long frozen() {
        long n = 0;
        for (INDArray mask : masks.values()) {
            n += mask.length();
        }
        return n - trainable();
    }

    @Override
    public void onGradientCalculation(Model model) {
        Gradient gradient = model.gradient();
        for (Map.Entry<String, INDArray> e : masks.entrySet()) {
            INDArray g = gradient.getGradientFor(e.getKey());
            if (g == null) {
                throw new IllegalStateException("WeightSubset: gradient " + e.getKey() + " = null; expected the "
                        + "gradient of every restricted layer's W");
            }
            g.muli(e.getValue());
        }
    }
}
