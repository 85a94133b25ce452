package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.data.FashionMnistIterator;
import io.github.dl4jspectral.data.LabeledImages;
import io.github.dl4jspectral.training.Trainer;
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

    /**
     * Keras's {@code validation_split}: the first part of {@code all} trains, the last {@code fraction} validates.
     *
     * @param training   the training examples
     * @param validation an iterator over the validation examples
     */
    public record Split(LabeledImages training, DataSetIterator validation) {

        public static Split of(LabeledImages all, double fraction) {
            int cut = (int) Math.round(all.size() * (1 - fraction));
            return new Split(all.range(0, cut),
                    FashionMnistIterator.builder(all.range(cut, all.size())).batchSize(1000).build());
        }
    }

    /** Trains {@code network} on the split's training part in the data order of {@code seed}, validating on the rest. */
    public Result train(MultiLayerNetwork network, Split data, long seed, int batchSize) {
        DataSetIterator iterator = FashionMnistIterator.builder(data.training()).batchSize(batchSize).shuffle(seed).build();
        DataSetIterator validation = data.validation();
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
