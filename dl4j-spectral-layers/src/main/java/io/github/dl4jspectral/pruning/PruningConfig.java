package io.github.dl4jspectral.pruning;

import java.util.Objects;

/**
 * What to prune and how much. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * PruningConfig config = PruningConfig.builder().score(NodeScore.EIGENVALUE).fraction(0.5).pooled(true).build();
 * }</pre>
 *
 * @param score          the node scorer (a {@link NodeScore} rule or your own)
 * @param scoreName      a name for reports ("EIGENVALUE", or "custom")
 * @param amount         how many nodes to remove
 * @param pooled         true: one cutoff from the scores of all hidden layers together (as the reference code);
 *                       false: each hidden layer separately
 * @param eigenvalueRule for {@link NodeScore#EIGENVALUE}: how a node's two eigenvalues make one score
 * @param seed           seed of {@link NodeScore#RANDOM}
 */
public record PruningConfig(ScoreSource score, String scoreName, Amount amount, boolean pooled,
                            EigenvalueRule eigenvalueRule, long seed) {

    /**
     * For {@link NodeScore#EIGENVALUE}: how a node's two trained eigenvalue magnitudes, {@code |lambdaOut[h]|} of the
     * producing layer and {@code |lambdaIn[h]|} of the consuming layer, make one score.
     */
    public enum EigenvalueRule {
        /** The producing layer's {@code |lambdaOut[h]|} alone (the Sci. Rep. code's rule). */
        PRODUCER,
        /**
         * The consuming layer's {@code |lambdaIn[h]|} alone, the gate on the node's outgoing paths (the default: see
         * benchmarks/RESULTS.md, "Which eigenvalue rule ranks the nodes of a two-set network").
         */
        CONSUMER,
        /** {@code min}: the node clears a cutoff only if both do (the "and" mode of Jamba15/SpectralTools). */
        BOTH,
        /** {@code max}: the node clears a cutoff if either does. */
        EITHER,
        /** {@code |lambdaOut[h]| * |lambdaIn[h]|}: both gates of every path through the node at once. */
        PRODUCT,
        /**
         * Chosen by what was trained: the producing layer's {@code |lambdaOut[h]|} when that layer trains its eigenvector
         * block, the consuming layer's {@code |lambdaIn[h]|} when it does not (eigenvalue-only networks).
         */
        BY_TRAINING;

        /** The score of a node whose eigenvalue magnitudes are {@code out} and {@code in}. */
        public double combine(double out, double in) {
            return switch (this) {
                case PRODUCER -> out;
                case CONSUMER -> in;
                case BOTH -> Math.min(out, in);
                case EITHER -> Math.max(out, in);
                case PRODUCT -> out * in;
                case BY_TRAINING -> throw new IllegalStateException("EigenvalueRule.BY_TRAINING chooses a set per layer; "
                        + "expected NodeScore.EIGENVALUE to resolve it before combining");
            };
        }
    }

    /** Where scores come from: a built-in rule, or a user's scorer. */
    public sealed interface ScoreSource permits Rule, Custom {
        NodeScorer scorer(PruningConfig config, int layerIndex);
    }

    /** A built-in rule. */
    public record Rule(NodeScore rule) implements ScoreSource {
        @Override
        public NodeScorer scorer(PruningConfig config, int layerIndex) {
            return rule.scorer(config, layerIndex);
        }
    }

    /** A user's scorer. */
    public record Custom(NodeScorer scorer) implements ScoreSource {
        @Override
        public NodeScorer scorer(PruningConfig config, int layerIndex) {
            return scorer;
        }
    }

    /**
     * How many nodes go: a fraction in [0, 1) of the nodes (per layer, or of all hidden nodes when pooled),
     * a count (likewise), or every node whose score is below a threshold.
     */
    public record Amount(Kind kind, double value) {
        /** The three ways to say how much. */
        public enum Kind { FRACTION, COUNT, THRESHOLD }

        public Amount {
            Objects.requireNonNull(kind, "kind");
            switch (kind) {
                case FRACTION -> {
                    if (!(value >= 0 && value < 1)) {
                        throw new IllegalArgumentException("PruningConfig: fraction = " + value + "; expected 0 <= fraction < 1");
                    }
                }
                case COUNT -> {
                    if (!(value >= 0) || value != Math.rint(value)) {
                        throw new IllegalArgumentException("PruningConfig: count = " + value + "; expected a whole number >= 0");
                    }
                }
                case THRESHOLD -> {
                    if (Double.isNaN(value)) {
                        throw new IllegalArgumentException("PruningConfig: threshold = NaN; expected a number");
                    }
                }
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This configuration with another amount. */
    public PruningConfig withAmount(Amount newAmount) {
        return new PruningConfig(score, scoreName, newAmount, pooled, eigenvalueRule, seed);
    }

    /** This configuration with another eigenvalue rule. */
    public PruningConfig withEigenvalueRule(EigenvalueRule rule) {
        return new PruningConfig(score, scoreName, amount, pooled, Objects.requireNonNull(rule, "rule"), seed);
    }

    /** This configuration with another built-in rule. */
    public PruningConfig withScore(NodeScore rule) {
        return new PruningConfig(new Rule(rule), rule.name(), amount, pooled, eigenvalueRule, seed);
    }

    /** Builds a {@link PruningConfig}; defaults: EIGENVALUE, fraction 0.5, per layer, CONSUMER, seed 0. */
    public static final class Builder {
        private ScoreSource score = new Rule(NodeScore.EIGENVALUE);
        private String scoreName = NodeScore.EIGENVALUE.name();
        private Amount amount = new Amount(Amount.Kind.FRACTION, 0.5);
        private boolean pooled;
        private EigenvalueRule eigenvalueRule = EigenvalueRule.CONSUMER;
        private long seed;

        public Builder score(NodeScore rule) {
            this.score = new Rule(Objects.requireNonNull(rule, "rule"));
            this.scoreName = rule.name();
            return this;
        }

        /** Your own scorer, shown as {@code name} in reports. */
        public Builder score(String name, NodeScorer scorer) {
            this.score = new Custom(Objects.requireNonNull(scorer, "scorer"));
            this.scoreName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Remove this fraction of the nodes, 0 &lt;= fraction &lt; 1. */
        public Builder fraction(double fraction) {
            this.amount = new Amount(Amount.Kind.FRACTION, fraction);
            return this;
        }

        /** Remove this many nodes. */
        public Builder count(int count) {
            this.amount = new Amount(Amount.Kind.COUNT, count);
            return this;
        }

        /** Remove every node whose score is below {@code threshold}. */
        public Builder threshold(double threshold) {
            this.amount = new Amount(Amount.Kind.THRESHOLD, threshold);
            return this;
        }

        /** One cutoff from all hidden layers' scores (true) or one per layer (false, default). */
        public Builder pooled(boolean pooled) {
            this.pooled = pooled;
            return this;
        }

        public Builder eigenvalueRule(EigenvalueRule rule) {
            this.eigenvalueRule = Objects.requireNonNull(rule, "rule");
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public PruningConfig build() {
            return new PruningConfig(score, scoreName, amount, pooled, eigenvalueRule, seed);
        }
    }
}
