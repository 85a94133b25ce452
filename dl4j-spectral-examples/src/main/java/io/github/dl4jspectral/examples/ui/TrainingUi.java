package io.github.dl4jspectral.examples.ui;

import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.api.StatsUpdateConfiguration;
import org.deeplearning4j.ui.model.stats.impl.DefaultStatsUpdateConfiguration;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * DL4J's training UI (Vert.x server, in-memory statistics) for networks trained in this JVM. Every network
 * {@link #attach attached} gets a {@link StatsListener} (DL4J's default settings: a report every 10 iterations) in a session
 * named after the model: score, updates and a histogram per parameter under the parameter's key (for a spectral layer
 * {@code lambdaIn}, {@code lambdaOut}, {@code phi}, {@code b}) plus, for a spectral layer, its effective weights
 * under {@code W} ({@link EffectiveWeightsRouter}). The server also serves the {@link SpectralPage} at
 * {@link #spectralAddress()}, and DL4J's pages with two fixes ({@link PagePatches}): the Model page's key selector
 * buttons in sight, the Overview's Start Time and Total Runtime filled.
 */
public final class TrainingUi implements AutoCloseable {

    /** Histogram bins, DL4J's default. */
    private static final int BINS = 20;
    /** Session names end up in DL4J's addresses and, unescaped, in its pages' HTML. */
    private static final Pattern SESSION_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private final VertxUIServer server;
    private final StatsStorage storage = new InMemoryStatsStorage();
    private final Set<String> sessions = new HashSet<>();

    private TrainingUi(VertxUIServer server) {
        this.server = server;
        PagePatches.install(server);
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

    /**
     * Adds a StatsListener reporting to this UI (listeners already on the network stay), in a session named
     * {@code name}, or {@code name-2}, {@code name-3}, ... if that name is taken.
     *
     * @param network an initialized network
     * @return the session's name, as DL4J's session selector and the spectral page list it
     * @throws IllegalArgumentException if the name is not made of letters, digits, '.', '_' and '-' (DL4J puts it,
     *                                  unescaped, into its addresses and HTML)
     */
    public synchronized String attach(MultiLayerNetwork network, String name) {
        if (name == null || !SESSION_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("UI session name \"" + name
                    + "\"; expected letters, digits, '.', '_' and '-' only (e.g. the model's name, \"eigenvalues\")");
        }
        String session = name;
        for (int n = 2; !sessions.add(session); n++) {
            session = name + "-" + n;
        }
        network.addListeners(listeners(storage, network, session).toArray(TrainingListener[]::new));
        return session;
    }

    /**
     * The listeners reporting {@code network} to {@code storage}: an {@link EffectiveWeightsRouter} and the
     * StatsListener sending its reports through it, with DL4J's default settings (a report every 10 iterations).
     */
    static List<TrainingListener> listeners(StatsStorageRouter storage, MultiLayerNetwork network, String session) {
        StatsUpdateConfiguration settings = new DefaultStatsUpdateConfiguration.Builder().numHistogramBins(BINS).build();
        EffectiveWeightsRouter router = new EffectiveWeightsRouter(storage, network, BINS, settings.reportingFrequency());
        return List.of(router, new StatsListener(router, null, settings, session, null));
    }

    /** The port the server listens on. */
    public int port() {
        return server.getPort();
    }

    /** The training overview page, e.g. {@code http://localhost:9000/train/overview}. */
    public String overviewAddress() {
        return "http://localhost:" + port() + "/train/overview";
    }

    /** The spectral layers page, e.g. {@code http://localhost:9000/spectral}. */
    public String spectralAddress() {
        return "http://localhost:" + port() + SpectralPage.PATH;
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
