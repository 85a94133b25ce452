package io.github.dl4jspectral.benchmarks.claims;

import org.nd4j.linalg.activations.Activation;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The resolved options of one harness run (see {@link PapersClaims} for their meaning and defaults).
 *
 * @param quick         quick mode: bundled subset, fewer models, few epochs
 * @param protocol      whose protocol: the papers' (as read from the authors' code) or ours
 * @param firstSeed     the first seed (seeds run firstSeed, firstSeed + 1, ...), so that several processes can
 *                      share one resumable grid
 * @param seeds         number of seeds; seed i fixes both the initialization and the data order
 * @param epochs        epochs of every final training run
 * @param sweepEpochs   epochs of every learning-rate sweep run
 * @param retrainEpochs epochs of pruning's pre-processing retraining (after trimming)
 * @param learningRates Adam learning rates of the sweep, ascending
 * @param activation    hidden activation
 * @param batchSize     examples per minibatch, the same for every network
 * @param ranks         ranks of the LOW_RANK networks (experiment dense)
 * @param densities     densities of the sparse networks (experiment sparse)
 * @param fractions     fractions of hidden nodes trimmed (experiment pruning)
 * @param hidden        hidden width of the paper protocol's pruning experiment (ours uses {@link Candidate#PAPER_HIDDEN})
 * @param out           directory of the CSV, markdown and PNG files
 * @param paperResults  directory of the paper protocol's results, whose accuracies experiment reach aims at
 * @param reachEpochs   at most this many epochs per network in experiment reach
 * @param dataset       the data every network trains on and is scored on
 * @param commit        the commit of the code that runs, recorded in every logged row
 */
public record ClaimsSettings(boolean quick, Protocol protocol, long firstSeed, int seeds, int epochs, int sweepEpochs, int retrainEpochs,
                             List<Double> learningRates, Activation activation, int batchSize, List<Integer> ranks,
                             List<Double> densities, List<Double> fractions, int hidden, Path out,
                             Path paperResults, int reachEpochs, Dataset dataset, String commit) {

    /** Whose protocol an experiment follows. */
    public enum Protocol {
        /** The papers' settings, read from the authors' reference code: fixed rates, epochs, inits, no bias. */
        PAPER,
        /** Ours: variance-matched init, bias, a learning rate chosen per model on a validation split. */
        OURS
    }

    public ClaimsSettings {
        learningRates = learningRates.stream().sorted().toList();
        ranks = List.copyOf(ranks);
        densities = List.copyOf(densities);
        fractions = List.copyOf(fractions);
        if (seeds < 1 || epochs < 1 || sweepEpochs < 1 || retrainEpochs < 1 || batchSize < 1 || hidden < 1
                || reachEpochs < 1) {
            throw new IllegalArgumentException("seeds, epochs, sweep epochs, retrain epochs, batch size, hidden width "
                    + "and reach epochs "
                    + "must be >= 1");
        }
        if (learningRates.isEmpty()) {
            throw new IllegalArgumentException("no learning rate; expected at least one");
        }
    }

    /** The seeds firstSeed .. firstSeed + seeds - 1. */
    public long[] seedValues() {
        return LongStream.range(firstSeed, firstSeed + seeds).toArray();
    }
}
