package io.github.dl4jspectral.benchmarks.claims;

import org.nd4j.linalg.activations.Activation;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The resolved options of one harness run (see {@link PapersClaims} for their meaning and defaults).
 *
 * @param quick         quick mode: bundled subset, fewer models, few epochs
 * @param seeds         number of seeds; seed i (1-based) fixes both the initialization and the data order
 * @param epochs        epochs of every final training run
 * @param sweepEpochs   epochs of every learning-rate sweep run
 * @param retrainEpochs epochs of pruning's pre-processing retraining (after trimming)
 * @param learningRates Adam learning rates of the sweep, ascending
 * @param activation    hidden activation
 * @param batchSize     examples per minibatch, the same for every network
 * @param ranks         ranks of the LOW_RANK networks (experiment dense)
 * @param densities     densities of the sparse networks (experiment sparse)
 * @param fractions     fractions of hidden nodes trimmed (experiment pruning)
 * @param out           directory of the CSV, markdown and PNG files
 */
public record ClaimsSettings(boolean quick, int seeds, int epochs, int sweepEpochs, int retrainEpochs,
                             List<Double> learningRates, Activation activation, int batchSize, List<Integer> ranks,
                             List<Double> densities, List<Double> fractions, Path out) {

    public ClaimsSettings {
        learningRates = learningRates.stream().sorted().toList();
        ranks = List.copyOf(ranks);
        densities = List.copyOf(densities);
        fractions = List.copyOf(fractions);
        if (seeds < 1 || epochs < 1 || sweepEpochs < 1 || retrainEpochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("seeds, epochs, sweep epochs, retrain epochs and batch size must be >= 1");
        }
        if (learningRates.isEmpty()) {
            throw new IllegalArgumentException("no learning rate; expected at least one");
        }
    }

    /** The seeds 1..{@link #seeds()}. */
    public long[] seedValues() {
        return LongStream.rangeClosed(1, seeds).toArray();
    }
}
