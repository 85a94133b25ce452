package io.github.dl4jspectral.training;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains through DL4J's own {@code fit(iterator)} loop, one call per epoch, timing each epoch and
 * reporting every minibatch to a {@link Progress} (a progress bar, or nothing).
 */
public final class Trainer {

    /** Told after every minibatch. */
    @FunctionalInterface
    public interface Progress {
        /** Nothing to report to. */
        Progress NONE = (epoch, batchesDone) -> {
        };

        /** @param epoch 0-based epoch; @param batchesDone minibatches done in this epoch */
        void update(int epoch, int batchesDone);
    }

    /** What a training run took. */
    public record Timing(List<Double> epochSeconds) {
        public Timing {
            epochSeconds = List.copyOf(epochSeconds);
        }

        /** Mean wall-clock seconds per epoch. */
        public double secondsPerEpoch() {
            return epochSeconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    private Trainer() {
    }

    /** Trains {@code network} for {@code epochs} passes over {@code training}. */
    public static Timing fit(MultiLayerNetwork network, DataSetIterator training, int epochs, Progress progress) {
        List<Double> seconds = new ArrayList<>();
        int[] epoch = {0};
        int[] batches = {0};
        TrainingListener listener = new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int ignored) {
                progress.update(epoch[0], ++batches[0]);
            }
        };
        network.addListeners(listener);
        try {
            for (; epoch[0] < epochs; epoch[0]++) {
                batches[0] = 0;
                training.reset();
                long start = System.nanoTime();
                network.fit(training);
                seconds.add((System.nanoTime() - start) / 1e9);
            }
        } finally {
            network.getListeners().remove(listener);
        }
        return new Timing(seconds);
    }

    /** Fraction of {@code data} classified correctly (argmax of the output). */
    public static double accuracy(MultiLayerNetwork network, DataSetIterator data) {
        data.reset();
        return network.evaluate(data).accuracy();
    }
}
