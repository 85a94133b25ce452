package io.github.dl4jspectral.examples.cli;

import io.github.dl4jspectral.examples.ui.TrainingUi;
import picocli.CommandLine.Option;

/** {@code --ui}, {@code --ui-port} and {@code --ui-host}: DL4J's training UI for the networks a subcommand trains. */
final class UiOptions {

    @Option(names = "--ui", description = "Start DL4J's training UI and report every network to it, one session per "
            + "model named after it (score, updates, a histogram per parameter: lambdaIn, lambdaOut, phi, b, and the "
            + "effective weights W of each spectral layer), with a spectral-layers page at /spectral. The program "
            + "keeps serving the UI after training until Ctrl-C.")
    boolean ui;

    @Option(names = "--ui-port", paramLabel = "PORT", defaultValue = "9000",
            description = "Port of the training UI (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--ui-host", paramLabel = "ADDRESS", defaultValue = TrainingUi.LOOPBACK,
            description = "Address the training UI listens on (default: ${DEFAULT-VALUE}, reachable from this machine "
                    + "only; 0.0.0.0 for every interface, with a warning: the UI has no authentication).")
    String host;

    /** Checks {@code --ui-port} and {@code --ui-host} before any work starts. */
    void validate() {
        DataOptions.require(port >= 0 && port <= 65_535, "--ui-port", port, "0..65535 (0: any free port)");
        boolean known;
        try {
            known = java.net.InetAddress.getByName(host) != null;
        } catch (java.net.UnknownHostException e) {
            known = false;
        }
        DataOptions.require(known, "--ui-host", host, "an address of this machine (0.0.0.0: every interface)");
    }

    /** The started UI, or null without --ui. */
    TrainingUi startIfAsked() {
        if (!ui) {
            return null;
        }
        TrainingUi started = TrainingUi.builder().port(port).host(host).start();
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
