package io.github.dl4jspectral.benchmarks.claims;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.github.dl4jspectral.count.ParameterCounts;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness's quick mode on the bundled subset, both protocols, cut to one seed and one epoch so that it
 * runs in the build: the files appear, the paper protocol's facts are printed with the results, and a rerun of
 * the paper protocol measures nothing again.
 */
class PapersClaimsQuickTest {

    private static int run(String... args) {
        return new CommandLine(new PapersClaims()).execute(args);
    }

    @Test
    void paperProtocolRunsResumesAndReportsItsFacts(@TempDir Path out) throws IOException {
        String[] args = {"--protocol", "paper", "--quick", "--experiments", "pruning", "--seeds", "1", "--epochs", "1",
                "--retrain-epochs", "1", "--fractions", "0,0.5", "--out", out.toString()};
        assertEquals(0, run(args));

        List<Measurement> points = ResultLog.open(out.resolve("pruning-runs.csv")).measurements();
        Set<String> series = points.stream().map(Measurement::series).collect(Collectors.toSet());
        assertEquals(Set.of(SciRepPruning.POST, SciRepPruning.POST_RANDOM, SciRepPruning.PRE, SciRepPruning.PRE_RANDOM,
                SciRepPruning.PRE_UNTRAINED, SciRepPruning.DENSE, SciRepPruning.DENSE_RANDOM), series);
        assertEquals(7 * 2, points.size(), "7 series x 2 fractions x 1 seed");
        for (Measurement m : points) {
            assertTrue(m.accuracy() > 0.1 && m.accuracy() <= 1, m.toString());
        }
        Measurement post = points.stream().filter(m -> m.series().equals(SciRepPruning.POST) && m.x() == 0).findFirst()
                .orElseThrow();
        assertEquals(784L * 500 + 500 + 500 * 10 + 10, post.trainable(), "phi and lambdaOut of both maps, no bias");
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("lambdaIn fixed at 0") && report.contains("Adam 1e-03, batch 200, 1 epochs"), report);
        assertTrue(Files.exists(out.resolve("pruning-h500.png")));
        String curves = Files.readString(out.resolve("pruning-h500-curves.md"));
        assertTrue(curves.contains("| " + SciRepPruning.DENSE_RANDOM + " |"), curves);

        long modified = Files.getLastModifiedTime(out.resolve("pruning-runs.csv")).toMillis();
        long start = System.nanoTime();
        assertEquals(0, run(args));
        assertEquals(points, ResultLog.open(out.resolve("pruning-runs.csv")).measurements(), "nothing measured again");
        assertEquals(modified, Files.getLastModifiedTime(out.resolve("pruning-runs.csv")).toMillis());
        assertTrue((System.nanoTime() - start) / 1e9 < 20, "a rerun trains nothing");
    }

    @Test
    void paperDecompositionRunsEveryModel(@TempDir Path out) throws IOException {
        assertEquals(0, run("--protocol", "paper", "--quick", "--experiments", "decomposition", "--seeds", "1",
                "--epochs", "1", "--out", out.toString()));
        List<Measurement> points = ResultLog.open(out.resolve("decomposition-runs.csv")).measurements();
        assertEquals(Set.copyOf(PreDecomposition.MODELS), points.stream().map(Measurement::series).collect(Collectors.toSet()));
        Measurement ssvd = points.stream().filter(m -> m.series().equals("ssvd")).findFirst().orElseThrow();
        // s (k = 50, 50, 10) + lambdaIn + lambdaOut + b of the three maps
        assertEquals((50 + 784 + 50 + 50) + (50 + 50 + 50 + 50) + (10 + 50 + 10 + 10), ssvd.trainable());
        for (Measurement m : points) {
            assertTrue(m.accuracy() >= 0 && m.accuracy() <= 1, m.toString());
        }
        assertTrue(points.stream().filter(m -> m.series().equals("dense")).findFirst().orElseThrow().accuracy() > 0.5);
        assertTrue(Files.readString(out.resolve("report.md")).contains("AdaMax"));
    }

    @Test
    void paperSparseRunsBothModelsUnderTheMagnitudeRule(@TempDir Path out) throws IOException {
        assertEquals(0, run("--protocol", "paper", "--quick", "--experiments", "sparse", "--seeds", "1", "--epochs", "1",
                "--hidden", "64", "--out", out.toString()));
        List<Measurement> points = ResultLog.open(out.resolve("sparse-runs.csv")).measurements();
        assertEquals(List.of("spectral", "dense"), points.stream().map(Measurement::series).toList());
        for (Measurement m : points) {
            assertEquals(90, m.x(), 1e-9);
            assertTrue(m.accuracy() > 0.3, m.toString());
        }
        MultiLayerNetwork dense = PreSparse.network("dense", 64, 0.9, 1);
        assertEquals(784L * 64 + 64 * 64 + 64 * 10, ParameterCounts.of(dense).trainable(), "every weight, no bias");
    }

    @Test
    void natCommunRunsTheFourModelsPairedAndStampsEveryRow(@TempDir Path out) throws IOException {
        assertEquals(0, run("--protocol", "paper", "--quick", "--experiments", "natcommun", "--seeds", "2", "--epochs",
                "1", "--out", out.toString()));
        List<Measurement> points = ResultLog.open(out.resolve("natcommun-runs.csv")).measurements();
        assertEquals(4 * 2, points.size(), "4 models x 1 width x 2 seeds");
        Measurement eigenvalues = points.stream().filter(m -> m.series().equals("eigenvalues")).findFirst().orElseThrow();
        assertEquals(50 + 10, eigenvalues.trainable(), "lambdaOut of both maps only");
        assertEquals(784L * 50 + 50 * 10 + 784 + 50, eigenvalues.frozen(), "phi and the pinned lambdaIn of both maps");
        Measurement subset = points.stream().filter(m -> m.series().equals("subset")).findFirst().orElseThrow();
        assertEquals(eigenvalues.trainable(), subset.trainable(), "the control trains as many numbers as eigenvalues");
        assertEquals(784L * 50 + 50 * 10 - 60, subset.frozen());
        for (Measurement m : points) {
            assertEquals("fashion", m.dataset());
            assertEquals(50, m.width());
            assertTrue(!m.commit().isEmpty(), m.toString());
        }
        String paired = Files.readString(out.resolve("natcommun-paired.md"));
        assertTrue(paired.contains("| eigenvalues vs dense | 50 |"), paired);
        assertTrue(paired.contains("| eigenvalues vs subset | 50 |"), paired);
    }

    @Test
    void ourProtocolQuickPruningRuns(@TempDir Path out) {
        assertEquals(0, run("--protocol", "ours", "--quick", "--experiments", "pruning", "--seeds", "1", "--epochs", "1",
                "--learning-rates", "1e-2", "--fractions", "0,0.5", "--out", out.toString()));
        assertTrue(Files.exists(out.resolve("pruning-raw.csv")));
        assertTrue(Files.exists(out.resolve("report.md")));
    }

    @Test
    void ourProtocolCountsTheEpochsToReachEachPaperProtocolAccuracy(@TempDir Path dir) throws IOException {
        Path paper = dir.resolve("paper");
        Files.createDirectories(paper);
        ResultLog pruning = ResultLog.open(paper.resolve("pruning-runs.csv"));
        pruning.append(new Measurement(SciRepPruning.NAME, SciRepPruning.DENSE, "h500", 0, 1, 1e-3, 0.5, 0, 0, 1, 100));
        pruning.append(new Measurement(SciRepPruning.NAME, SciRepPruning.DENSE, "h500", 0, 2, 1e-3, 0.6, 0, 0, 1, 100));
        pruning.append(new Measurement(SciRepPruning.NAME, SciRepPruning.DENSE, "h500", 50, 1, 1e-3, 0.4, 0, 0, 1, 100));
        ResultLog decomposition = ResultLog.open(paper.resolve("decomposition-runs.csv"));
        decomposition.append(new Measurement(PreDecomposition.NAME, "qr", "n50", 50, 1, 1e-3, 0.999, 0, 0, 1, 30));
        ResultLog sparse = ResultLog.open(paper.resolve("sparse-runs.csv"));
        sparse.append(new Measurement(PreSparse.NAME, "spectral", "h32", 90, 1, 1e-3, 0.3, 0, 0, 1, 12));
        sparse.append(new Measurement(PreSparse.NAME, "spectral", "h32", 80, 1, 1e-3, 0.3, 0, 0, 1, 12));
        Path out = dir.resolve("ours");
        String[] args = {"--protocol", "ours", "--quick", "--experiments", "reach", "--seeds", "1", "--reach-epochs", "2",
                "--learning-rates", "1e-2", "--paper-results", paper.toString(), "--out", out.toString()};

        assertEquals(0, run(args));

        List<Measurement> reached = ResultLog.open(out.resolve("reach-runs.csv")).measurements();
        assertEquals(List.of(SciRepPruning.NAME + "/" + SciRepPruning.DENSE, PreDecomposition.NAME + "/qr",
                PreSparse.NAME + "/spectral"), reached.stream().map(Measurement::series).toList(),
                "the untrimmed dense network, the qr network, the sparse network at 90 % (80 % is not aimed at)");
        Measurement dense = reached.get(0);
        assertTrue(dense.epochs() >= 1 && dense.epochs() <= 2 && dense.accuracy() > 0.4, "the validation accuracy reached "
                + "the mean of 0.5 and 0.6; the test accuracy there is reported: " + dense);
        Measurement qr = reached.get(1);
        assertEquals(3, qr.epochs(), "99.9 % is out of reach: trained to the cap of 2, logged as cap + 1");
        assertTrue(qr.accuracy() < 0.999);
        assertEquals(ParameterCounts.of(PreDecomposition.network("qr", 50, 1, ClaimsSettings.Protocol.OURS, 1e-2)).trainable(),
                qr.trainable());
        String summary = Files.readString(out.resolve("reach-summary.md"));
        assertTrue(summary.contains("| " + PreDecomposition.NAME + "/qr | n50 x 50 | 99.9 (1), 30 | 1e-02 | > 2 |"), summary);

        assertEquals(0, run(args));
        assertEquals(reached, ResultLog.open(out.resolve("reach-runs.csv")).measurements(), "nothing measured again");
    }

    @Test
    void unknownProtocolOrExperimentIsAClearError() {
        CommandLine cli = new CommandLine(new PapersClaims());
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        assertEquals(2, cli.execute("--protocol", "theirs", "--quick"));
        assertTrue(err.toString().contains("expected paper or ours"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("--protocol", "paper", "--quick", "--experiments", "rules"));
        assertTrue(err.toString().contains("unknown experiment \"rules\" for --protocol paper"), err.toString());
    }
}
