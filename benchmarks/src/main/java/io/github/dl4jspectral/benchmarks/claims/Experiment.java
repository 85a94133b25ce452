package io.github.dl4jspectral.benchmarks.claims;

import java.io.IOException;
import java.util.List;

/** One experiment of the claims harness: trains through a {@link Harness}, writes its files, returns its report. */
public interface Experiment {

    /** Short name used on the command line and as the prefix of its files. */
    String name();

    /** Whether a run without {@code --experiments} includes it (true unless it answers a side question). */
    default boolean runsByDefault() {
        return true;
    }

    /** The networks it trains in full (for the printed plan; pruning's retraining is extra). */
    List<Candidate> candidates(ClaimsSettings settings);

    /**
     * Runs the experiment and writes its CSV, markdown and PNG files.
     *
     * @return markdown for RESULTS.md: the summary table and the figures bearing on the papers' claims
     */
    String run(Harness harness) throws IOException;
}
