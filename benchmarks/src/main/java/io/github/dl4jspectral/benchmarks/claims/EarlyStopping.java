package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.data.FashionMnistIterator;
import io.github.dl4jspectral.data.LabeledImages;
import io.github.dl4jspectral.examples.training.Trainer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Training with early stopping as Keras's {@code EarlyStopping(monitor='val_accuracy', mode='max')} does it in the
 * authors' code: after every epoch the validation accuracy is compared with the best so far; an epoch counts as
 * an improvement only if it beats the best by more than {@code minDelta}; training stops after {@code patience}
 * epochs without improvement, or after {@code maxEpochs}; the last weights are kept (no restore of the best).
 *
 * @param maxEpochs at most this many epochs
 * @param minDelta  smallest improvement of the validation accuracy (a fraction) that counts
 * @param patience  epochs without improvement before stopping
 */
public record EarlyStopping(int maxEpochs, double minDelta, int patience) {

    /**
     * What a training took.
     *
     * @param epochs          epochs trained
     * @param secondsPerEpoch mean wall-clock seconds per epoch, validation included
     */
    public record Result(int epochs, double secondsPerEpoch) {
    }

    /** Trains {@code network} on {@code training} in the data order of {@code seed}, validating on {@code validation}. */
    public Result train(MultiLayerNetwork network, LabeledImages training, DataSetIterator validation, long seed,
                        int batchSize) {
        DataSetIterator iterator = FashionMnistIterator.builder(training).batchSize(batchSize).shuffle(seed).build();
        int epochs = 0;
        double best = Double.NEGATIVE_INFINITY;
        int wait = 0;
        long start = System.nanoTime();
        while (epochs < maxEpochs) {
            Trainer.fit(network, iterator, 1, Trainer.Progress.NONE);
            epochs++;
            double accuracy = Trainer.accuracy(network, validation);
            wait++;
            if (accuracy - minDelta > best) {
                best = accuracy;
                wait = 0;
            }
            if (wait >= patience) {
                break;
            }
        }
        return new Result(epochs, (System.nanoTime() - start) / 1e9 / epochs);
    }
}
