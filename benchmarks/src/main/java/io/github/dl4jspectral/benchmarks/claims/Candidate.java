package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.zoo.ModelSpec;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;

/**
 * A network the harness trains: a named {@link ModelSpec} at a hidden width. At the papers' width (500)
 * the name is the spec's ({@code dense}, {@code eigenvalues}, ...); at another width it gets a suffix,
 * e.g. {@code dense-h3} for the conventional network whose trainable-parameter count matches the
 * EIGENVALUES network's.
 *
 * @param spec   the family (and rank or density)
 * @param hidden hidden nodes
 */
public record Candidate(ModelSpec spec, int hidden) {

    /** The papers' hidden width (784 - 500 - 10). */
    public static final int PAPER_HIDDEN = 500;

    public Candidate {
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden width " + hidden + "; expected >= 1");
        }
    }

    /** {@code spec} at the papers' width. */
    public static Candidate of(ModelSpec spec) {
        return new Candidate(spec, PAPER_HIDDEN);
    }

    /** Short name for tables, e.g. {@code low-rank-16} or {@code dense-h3}. */
    public String name() {
        return hidden == PAPER_HIDDEN ? spec.name() : spec.name() + "-h" + hidden;
    }

    /** A freshly initialized nIn - hidden (activation) - nOut softmax network with Adam(learningRate). */
    public MultiLayerNetwork network(int nIn, int nOut, Activation activation, double learningRate, long seed) {
        return spec.network(nIn, hidden, nOut, activation, learningRate, seed);
    }

    /**
     * The hidden width of a DenseLayer network nIn - h - nOut whose trainable-parameter count
     * (nIn*h + h + h*nOut + nOut) is closest to {@code budget} (at least 1 node).
     */
    public static int denseWidthForBudget(long budget, int nIn, int nOut) {
        long perNode = nIn + 1L + nOut;
        long h = Math.round((double) (budget - nOut) / perNode);
        return (int) Math.max(1, h);
    }

    @Override
    public String toString() {
        return name();
    }
}
