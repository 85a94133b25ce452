package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.zoo.ModelSpec;
import io.github.dl4jspectral.zoo.ModelSpec.Kind;
import io.github.dl4jspectral.pruning.NodeScore;
import io.github.dl4jspectral.pruning.PruningConfig;
import io.github.dl4jspectral.pruning.PruningConfig.EigenvalueRule;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which eigenvalue rule should {@link NodeScore#EIGENVALUE} use for two-set networks? On the
 * {@code full} network (post-processing, no retraining) and the {@code eigenvalues} network (pre-processing:
 * trim, then retrain with eigenvectors), with our protocol, every rule trims the same trained networks:
 * <ul>
 *   <li>{@code BOTH} (min of |lambdaOut[h]| and |lambdaIn[h]|), {@code EITHER} (max), {@code PRODUCT};</li>
 *   <li>{@link NodeScore#EIGENVALUE_OUT} (the producer's |lambdaOut|, the Sci. Rep. code's),
 *       {@link NodeScore#EIGENVALUE_IN} (the consumer's |lambdaIn|);</li>
 *   <li>{@link NodeScore#RANDOM} as the floor.</li>
 * </ul>
 * The eigenvalue network is also trimmed without retraining (its pre-processing before the retraining). The table
 * ranks the rules by their mean test accuracy over the trimmed fractions (and seeds). Files {@code rules-*}.
 */
public final class PruningRules implements Experiment {

    private static final Candidate FULL = Candidate.of(ModelSpec.of(Kind.FULL));
    private static final Candidate EIGENVALUES = Candidate.of(ModelSpec.of(Kind.EIGENVALUES));
    /** Fractions of pre-processing, whose every point costs a retraining. */
    static final List<Double> PRE_FRACTIONS = List.of(0.5, 0.8);

    @Override
    public String name() {
        return "rules";
    }

    /** A side question (which rule is the default): run it by name. */
    @Override
    public boolean runsByDefault() {
        return false;
    }

    @Override
    public List<Candidate> candidates(ClaimsSettings settings) {
        return List.of(EIGENVALUES, FULL);
    }

    /** The rules compared, by name. */
    static Map<String, PruningConfig> rules(double fraction, long seed) {
        Map<String, PruningConfig> rules = new LinkedHashMap<>();
        PruningConfig eigenvalue = PruningCurves.config(NodeScore.EIGENVALUE, fraction, seed);
        for (EigenvalueRule rule : EigenvalueRule.values()) {
            if (rule != EigenvalueRule.CONSUMER) { // the same ranking as EIGENVALUE_IN, measured under that name below
                rules.put("EIGENVALUE " + rule, eigenvalue.withEigenvalueRule(rule));
            }
        }
        for (NodeScore score : List.of(NodeScore.EIGENVALUE_OUT, NodeScore.EIGENVALUE_IN, NodeScore.RANDOM)) {
            rules.put(score.name(), PruningCurves.config(score, fraction, seed));
        }
        return rules;
    }

    @Override
    public String run(Harness harness) throws IOException {
        ClaimsSettings settings = harness.settings();
        List<Measurement> measurements = new ArrayList<>();
        for (long seed : settings.seedValues()) {
            Harness.Trained full = harness.trained(FULL, seed);
            Harness.Trained eigenvalues = harness.trained(EIGENVALUES, seed);
            double retrainRate = harness.learningRate(FULL);
            for (double fraction : settings.fractions()) {
                if (fraction == 0) {
                    continue;
                }
                for (Map.Entry<String, PruningConfig> rule : rules(fraction, seed).entrySet()) {
                    measurements.add(PruningCurves.post(harness, name(), "post: " + rule.getKey(), full, rule.getValue()));
                    measurements.add(PruningCurves.post(harness, name(), "eigenvalues-post: " + rule.getKey(), eigenvalues,
                            rule.getValue()));
                }
            }
            for (double fraction : PRE_FRACTIONS) {
                for (Map.Entry<String, PruningConfig> rule : rules(fraction, seed).entrySet()) {
                    measurements.add(PruningCurves.pre(harness, name(), "pre: " + rule.getKey(), eigenvalues, retrainRate,
                            rule.getValue()));
                }
            }
        }
        String title = String.format(Locale.ROOT, "Node-score rules, 784-500-10 %s: test accuracy vs hidden nodes trimmed",
                settings.activation().name().toLowerCase(Locale.ROOT));
        String table = Report.write(settings, name(), title, measurements, "% hidden nodes trimmed",
                x -> String.format(Locale.ROOT, "%.0f", x), false, false);
        List<String> comparisons = new ArrayList<>();
        for (String kind : List.of("post", "eigenvalues-post", "pre")) {
            String both = kind + ": EIGENVALUE " + EigenvalueRule.BOTH;
            String byTraining = kind + ": EIGENVALUE " + EigenvalueRule.BY_TRAINING;
            comparisons.add(byTraining + " vs " + both);
            comparisons.add(both + " vs " + kind + ": " + NodeScore.RANDOM);
            comparisons.add(byTraining + " vs " + kind + ": " + NodeScore.RANDOM);
            comparisons.add(kind + ": EIGENVALUE " + EigenvalueRule.PRODUCER + " vs " + both);
            comparisons.add(kind + ": " + NodeScore.EIGENVALUE_IN + " vs " + both);
        }
        String paired = Report.writePaired(settings, name(), measurements, comparisons, "% trimmed",
                x -> String.format(Locale.ROOT, "%.0f", x));
        return ranking(measurements) + "\n" + table + "\n" + paired;
    }

    /** Each rule's mean accuracy over fractions and seeds for each way of trimming, best first by the first column. */
    static String ranking(List<Measurement> measurements) {
        List<String> kinds = List.of("post", "eigenvalues-post", "pre");
        Map<String, Map<String, double[]>> byKind = new LinkedHashMap<>();
        kinds.forEach(k -> byKind.put(k, new LinkedHashMap<>()));
        for (Measurement m : measurements) {
            int colon = m.series().indexOf(": ");
            String kind = m.series().substring(0, colon);
            double[] sumCount = byKind.get(kind).computeIfAbsent(m.series().substring(colon + 2), k -> new double[2]);
            sumCount[0] += m.accuracy();
            sumCount[1]++;
        }
        List<String> rules = new ArrayList<>(byKind.get("post").keySet());
        rules.sort((a, b) -> Double.compare(mean(byKind.get("post").get(b)), mean(byKind.get("post").get(a))));
        StringBuilder s = new StringBuilder("| rule | full network trimmed, no retraining: mean test accuracy % "
                + "| eigenvalue network trimmed, no retraining | eigenvalue network trimmed and retrained (pre-processing, "
                + PRE_FRACTIONS + ") |\n|---|---|---|---|\n");
        for (String rule : rules) {
            s.append("| ").append(rule);
            for (String kind : kinds) {
                s.append(String.format(Locale.ROOT, " | %.2f", 100 * mean(byKind.get(kind).getOrDefault(rule,
                        new double[]{Double.NaN, 1}))));
            }
            s.append(" |\n");
        }
        return s.toString();
    }

    private static double mean(double[] sumCount) {
        return sumCount[0] / sumCount[1];
    }
}
