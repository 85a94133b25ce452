package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.zoo.ModelSpec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Experiment 2, sparse networks (Phys. Rev. E 2021, docs/METHOD.md section 4): at each density D of the settings, the
 * same random support of the 784 x 500 hidden map (seed {@link ModelSpec#SUPPORT_SEED}, each link kept with
 * probability D) trained conventionally ({@code sparse-dense-D}: SparseDenseLayer, only the surviving weights
 * trainable) and spectrally ({@code sparse-D}: SpectralDenseLayer FULL, eigenvalues and the surviving phi
 * entries trainable); the output layer is a dense DL4J OutputLayer in both. Measures test accuracy (percent)
 * against density (fraction of links kept, log axis). Files: {@code sparse-*.csv}, {@code sparse-summary.md},
 * {@code sparse.png}.
 */
public final class SparseNetworks implements Experiment {

    static final String CONVENTIONAL = "conventional (SparseDenseLayer, same support)";
    static final String SPECTRAL = "spectral (FULL on the support)";

    @Override
    public String name() {
        return "sparse";
    }

    @Override
    public List<Candidate> candidates(ClaimsSettings settings) {
        List<Candidate> c = new ArrayList<>();
        for (double d : settings.densities()) {
            c.add(Candidate.of(ModelSpec.sparseDense(d)));
            c.add(Candidate.of(ModelSpec.sparse(d)));
        }
        return c;
    }

    @Override
    public String run(Harness harness) throws IOException {
        ClaimsSettings settings = harness.settings();
        List<Measurement> measurements = new ArrayList<>();
        for (Candidate candidate : candidates(settings)) {
            String series = candidate.spec().spectral() ? SPECTRAL : CONVENTIONAL;
            for (long seed : settings.seedValues()) {
                Harness.Trained t = harness.trained(candidate, seed);
                measurements.add(new Measurement(name(), series, candidate.name(), candidate.spec().density(), seed,
                        t.learningRate(), t.testAccuracy(), t.counts().trainable(), t.counts().frozen(),
                        t.secondsPerEpoch(), harness.settings().epochs()));
            }
        }
        String title = String.format(Locale.ROOT, "Sparse 784-500-10 %s: test accuracy vs density of the hidden map",
                settings.activation().name().toLowerCase(Locale.ROOT));
        String table = Report.write(settings, name(), title, measurements, "density",
                x -> String.format(Locale.ROOT, "%.2f", x), true, false);
        List<Report.Row> rows = Report.summarize(measurements);
        Claims claims = new Claims(rows);
        StringBuilder s = new StringBuilder("Claim \"at low density the spectrally trained sparse network classifies "
                + "much better\" (spectral minus conventional, same support):\n");
        for (double d : settings.densities()) {
            var spectral = claims.at(SPECTRAL, d);
            var conventional = claims.at(CONVENTIONAL, d);
            if (spectral.isPresent() && conventional.isPresent()) {
                s.append("- density ").append(String.format(Locale.ROOT, "%.2f: ", d))
                        .append(Claims.compare(spectral.get(), conventional.get())).append('\n');
            }
        }
        return table + "\n" + s;
    }
}
