package io.github.dl4jspectral.benchmarks.transfer;

import java.nio.file.Path;
import java.util.List;

/**
 * Sizes and budgets of one run of {@link BringYourNetwork}.
 *
 * @param out             output directory (result log, summaries)
 * @param seeds           seeds 1 .. seeds; seed s fixes the source network, the new head and the data order
 * @param hidden          width h of the 784-h-h-classes source networks
 * @param sourceEpochs    epochs of training of each source network
 * @param batch           minibatch size of every training
 * @param rates           Adam learning rates swept per method (on seed 1, scored on a validation split)
 * @param transferEpochs  epochs of every fine-tuning method (equal for all)
 * @param targetExamples  sizes of the target training set (examples of digits 5-9); 0 means all
 * @param fractions       fractions of the hidden nodes the pruning experiment removes
 * @param tuneEpochs      epochs of eigenvalue-only training before eigenvalue pruning
 * @param tuneRate        Adam learning rate of that eigenvalue training
 * @param retrainEpochs   epochs of retraining after pruning (the baselines get tuneEpochs more, the same budget)
 * @param pruneExamples   training examples of the pruning experiment's eigenvalue training and retraining (0: all)
 * @param commit          the commit of the measuring code, stamped on every row
 */
record TransferSettings(Path out, int seeds, int hidden, int sourceEpochs, int batch, List<Double> rates,
                        int transferEpochs, List<Integer> targetExamples, List<Double> fractions, int tuneEpochs, double tuneRate,
                        int retrainEpochs, int pruneExamples, String commit) {
}
