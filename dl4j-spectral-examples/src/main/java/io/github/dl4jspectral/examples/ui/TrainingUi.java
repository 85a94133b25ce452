package io.github.dl4jspectral.examples.ui;

import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;

/**
 * DL4J's training UI (Vert.x server, in-memory statistics) for networks trained in this JVM. Every
 * network {@link #attach attached} gets a {@link StatsListener}: score, updates and a histogram per
 * parameter, listed under the parameter's key (for a spectral layer {@code lambdaIn}, {@code lambdaOut},
 * {@code phi}, {@code b}).
 */
public final class TrainingUi implements AutoCloseable {

    private final VertxUIServer server;
    private final StatsStorage storage = new InMemoryStatsStorage();

    private TrainingUi(VertxUIServer server) {
        this.server = server;
        server.attach(storage);
    }

    /**
     * Starts the UI server (one per JVM) on {@code port}; 0 picks a free port.
     *
     * @throws IllegalArgumentException if the port is outside 0..65535
     * @throws IllegalStateException    if the server cannot start (port taken, ...)
     */
    public static TrainingUi start(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("UI port " + port + "; expected 0..65535");
        }
        try {
            return new TrainingUi(VertxUIServer.getInstance(port, false, null));
        } catch (RuntimeException e) {
            throw new IllegalStateException("DL4J training UI could not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Adds a StatsListener reporting to this UI (listeners already on the network stay). */
    public void attach(MultiLayerNetwork network) {
        network.addListeners(new StatsListener(storage));
    }

    /** The port the server listens on. */
    public int port() {
        return server.getPort();
    }

    /** The training overview page, e.g. {@code http://localhost:9000/train/overview}. */
    public String overviewAddress() {
        return "http://localhost:" + port() + "/train/overview";
    }

    /** Stops the server. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
