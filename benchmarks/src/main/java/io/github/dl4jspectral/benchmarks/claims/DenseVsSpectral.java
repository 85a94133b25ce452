package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.zoo.ModelSpec;
import io.github.dl4jspectral.zoo.ModelSpec.Kind;
import io.github.dl4jspectral.data.FashionMnist;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Experiment 1, dense against spectral (Nat. Commun. 2021, Phys. Rev. E 2021): 784 - 500 - 10 networks,
 * conventional DenseLayer, spectral EIGENVALUES_OUT, EIGENVALUES, FULL and LOW_RANK at the settings' ranks,
 * plus a conventional DenseLayer network whose hidden width is chosen so that its trainable-parameter count
 * matches the EIGENVALUES network's (784 - h - 10). Measures test accuracy (percent) against trainable
 * parameters (a count of numbers, log axis). Files: {@code dense-*.csv}, {@code dense-summary.md},
 * {@code dense.png}.
 */
public final class DenseVsSpectral implements Experiment {

    static final String CONVENTIONAL = "conventional (DenseLayer)";
    static final String EIGENVALUES_ONLY = "spectral, eigenvalues only";
    static final String EIGENVECTORS = "spectral, eigenvalues + eigenvectors (low-rank R, full)";

    @Override
    public String name() {
        return "dense";
    }

    /** The EIGENVALUES network's budget twin: a DenseLayer network of matching trainable count. */
    static Candidate matchedDense(ClaimsSettings settings) {
        Candidate eigenvalues = Candidate.of(ModelSpec.of(Kind.EIGENVALUES));
        long budget = ParameterCounts.of(eigenvalues.network(FashionMnist.PIXELS, FashionMnist.CLASSES,
                settings.activation(), 1e-3, 0)).trainable();
        return new Candidate(ModelSpec.of(Kind.DENSE), Candidate.denseWidthForBudget(budget, FashionMnist.PIXELS,
                FashionMnist.CLASSES));
    }

    @Override
    public List<Candidate> candidates(ClaimsSettings settings) {
        List<Candidate> c = new ArrayList<>(List.of(Candidate.of(ModelSpec.of(Kind.DENSE)), matchedDense(settings),
                Candidate.of(ModelSpec.of(Kind.EIGENVALUES_OUT)), Candidate.of(ModelSpec.of(Kind.EIGENVALUES))));
        settings.ranks().forEach(r -> c.add(Candidate.of(ModelSpec.lowRank(r))));
        c.add(Candidate.of(ModelSpec.of(Kind.FULL)));
        return c;
    }

    private static String series(Candidate c) {
        return switch (c.spec().kind()) {
            case DENSE -> CONVENTIONAL;
            case EIGENVALUES_OUT, EIGENVALUES -> EIGENVALUES_ONLY;
            default -> EIGENVECTORS;
        };
    }

    @Override
    public String run(Harness harness) throws IOException {
        ClaimsSettings settings = harness.settings();
        List<Measurement> measurements = new ArrayList<>();
        for (Candidate candidate : candidates(settings)) {
            for (long seed : settings.seedValues()) {
                Harness.Trained t = harness.trained(candidate, seed);
                measurements.add(new Measurement(name(), series(candidate), candidate.name(), t.counts().trainable(),
                        seed, t.learningRate(), t.testAccuracy(), t.counts().trainable(), t.counts().frozen(),
                        t.secondsPerEpoch(), harness.settings().epochs()));
            }
        }
        String title = String.format(Locale.ROOT, "Fashion-MNIST 784-h-10 %s: test accuracy vs trainable parameters",
                settings.activation().name().toLowerCase(Locale.ROOT));
        String table = Report.write(settings, name(), title, measurements, "trainable parameters",
                x -> String.format(Locale.ROOT, "%,.0f", x), true, true);
        return table + "\n" + claims(Report.summarize(measurements), settings);
    }

    private static String claims(List<Report.Row> rows, ClaimsSettings settings) {
        Claims c = new Claims(rows);
        String matched = matchedDense(settings).name();
        StringBuilder s = new StringBuilder();
        s.append("Claim \"eigenvalues only gets close to conventional with a linear parameter count\":\n");
        s.append(c.versus("eigenvalues", "dense"));
        s.append(c.versus("eigenvalues-out", "dense"));
        s.append(c.versus("eigenvalues", matched)).append("  (equal trainable budget)\n");
        s.append("Claim \"the eigenvector decomposition closes the gap\":\n");
        for (int r : settings.ranks()) {
            s.append(c.versus("low-rank-" + r, "dense"));
            s.append(c.versus("low-rank-" + r, "eigenvalues"));
        }
        s.append(c.versus("full", "dense"));
        return s.toString();
    }
}
