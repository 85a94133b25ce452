package io.github.dl4jspectral.pruning;

import io.github.dl4jspectral.count.ParameterCounts;

import java.util.List;
import java.util.Locale;

/**
 * What one pruning call did.
 *
 * @param score          the score's name
 * @param layers         per hidden layer: nodes before and after, and which were removed
 * @param before         parameters of the input network
 * @param after          parameters of the pruned network
 * @param accuracyBefore accuracy of the input network on the evaluation data, or NaN without it
 * @param accuracyAfter  accuracy of the pruned network, or NaN without evaluation data
 */
public record PruningReport(String score, List<LayerPruning> layers, ParameterCounts before, ParameterCounts after,
                            double accuracyBefore, double accuracyAfter) {

    /**
     * One hidden layer's pruning.
     *
     * @param layer   the producing layer's name
     * @param before  nodes before
     * @param after   nodes kept
     * @param removed indices (in the input network) of the removed nodes, ascending
     */
    public record LayerPruning(String layer, int before, int after, int[] removed) {
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("pruning by " + score + "\n");
        for (LayerPruning l : layers) {
            s.append(String.format(Locale.ROOT, "  %-12s %6d -> %6d nodes%n", l.layer(), l.before(), l.after()));
        }
        s.append(String.format(Locale.ROOT, "  parameters %,d -> %,d (trainable %,d -> %,d)%n", before.total(), after.total(),
                before.trainable(), after.trainable()));
        if (!Double.isNaN(accuracyBefore)) {
            s.append(String.format(Locale.ROOT, "  accuracy %.4f -> %.4f%n", accuracyBefore, accuracyAfter));
        }
        return s.toString();
    }
}
