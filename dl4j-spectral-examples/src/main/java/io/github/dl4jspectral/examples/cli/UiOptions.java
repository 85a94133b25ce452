package io.github.dl4jspectral.examples.cli;

import io.github.dl4jspectral.examples.ui.TrainingUi;
import picocli.CommandLine.Option;

/** {@code --ui} and {@code --ui-port}: DL4J's training UI for the networks a subcommand trains. */
final class UiOptions {

    @Option(names = "--ui", description = "Start DL4J's training UI and report every network to it, one session per "
            + "model named after it (score, updates, a histogram per parameter: lambdaIn, lambdaOut, phi, b, and the "
            + "effective weights W of each spectral layer), with a spectral-layers page at /spectral. The program "
            + "keeps serving the UI after training until Ctrl-C.")
    boolean ui;

    @Option(names = "--ui-port", paramLabel = "PORT", defaultValue = "9000",
            description = "Port of the training UI (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    /** Checks {@code --ui-port} before any work starts. */
    void validate() {
        DataOptions.require(port >= 0 && port <= 65_535, "--ui-port", port, "0..65535 (0: any free port)");
    }

    /** The started UI, or null without --ui. */
    TrainingUi startIfAsked() {
        if (!ui) {
            return null;
        }
        TrainingUi started = TrainingUi.start(port);
        System.out.println("DL4J training UI: " + started.overviewAddress() + " (spectral layers: "
                + started.spectralAddress() + ")");
        return started;
    }

    /** With --ui, keeps the process (and so the UI) alive until Ctrl-C. */
    static void serveUntilInterrupted(TrainingUi ui) throws InterruptedException {
        if (ui != null) {
            System.out.println("Training done; the UI stays at " + ui.overviewAddress() + " until Ctrl-C.");
            Thread.currentThread().join();
        }
    }
}
