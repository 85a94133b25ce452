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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * DL4J's training UI (Vert.x server, in-memory statistics) for networks trained in this JVM. Every network
 * {@link #attach attached} gets a {@link StatsListener} (DL4J's default settings: a report every 10 iterations) in a session
 * named after the model: score, updates and a histogram per parameter under the parameter's key (for a spectral layer
 * {@code lambdaIn}, {@code lambdaOut}, {@code phi}, {@code b}) plus, for a spectral layer, its effective weights
 * under {@code W} ({@link EffectiveWeightsRouter}). The server also serves the {@link SpectralPage} at
 * {@link #spectralAddress()}, and DL4J's pages with fixes ({@link PagePatches}): a sidebar link to the spectral page,
 * the Model page's key selector buttons and ratio chart header in sight, the Overview's Start Time and Total Runtime
 * filled.
 *
 * <p>What a local dashboard should be, which DL4J's server is not by itself: it listens on the loopback address
 * 127.0.0.1 only ({@link Builder#host} listens elsewhere, with a warning: the UI has no authentication); it refuses
 * uploads and every other request that is not a plain GET or HEAD with 403 ({@link Builder#allowUploads} lets DL4J's
 * t-SNE upload route have them); an {@code /assets/} request for anything but a file of DL4J's assets gets 404 at
 * once ({@link RequestGuard}); and {@link #close} (or the JVM's exit) stops the server and deletes its temporary
 * folders ({@code DL4JUI_<milliseconds>} in {@code java.io.tmpdir}). One server per JVM.
 */
public final class TrainingUi implements AutoCloseable {

    /** The address the server listens on unless {@link Builder#host} says otherwise. */
    public static final String LOOPBACK = "127.0.0.1";

    private static final Logger log = LoggerFactory.getLogger(TrainingUi.class);

    /** Histogram bins, DL4J's default. */
    private static final int BINS = 20;
    /** Session names end up in DL4J's addresses and, unescaped, in its pages' HTML. */
    private static final Pattern SESSION_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private final VertxUIServer server;
    private final String address;
    private final List<Path> temporaryDirectories;
    private final Thread stopOnExit = new Thread(this::stop, "TrainingUi stop on exit");
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final StatsStorage storage = new InMemoryStatsStorage();
    private final Set<String> sessions = new HashSet<>();

    private TrainingUi(UiServerLauncher.Started started, String host) {
        this.server = started.server();
        this.temporaryDirectories = started.temporaryDirectories();
        this.address = "http://" + (isWildcard(host) ? "localhost" : host.contains(":") ? "[" + host + "]" : host) + ":"
                + server.getPort();
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        server.attach(storage);
    }

    /**
     * Starts the UI server on 127.0.0.1:{@code port} (0 picks a free port), uploads refused: the same as
     * {@code builder().port(port).start()}.
     *
     * @throws IllegalArgumentException if the port is outside 0..65535
     * @throws IllegalStateException    if the server cannot start (port taken, a DL4J UI server already running in
     *                                  this JVM, ...)
     */
    public static TrainingUi start(int port) {
        return builder().port(port).start();
    }

    /** Settings for a UI server: port 9000 on 127.0.0.1, uploads refused. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where the UI server listens and whether it takes uploads. */
    public static final class Builder {

        private int port = 9000;
        private String host = LOOPBACK;
        private boolean allowUploads;

        private Builder() {
        }

        /** The port, 0..65535; 0 picks a free one. Default 9000. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * The address to listen on: an address of this machine, or {@code 0.0.0.0} for every interface. Default
         * {@link TrainingUi#LOOPBACK}: only this machine reaches the UI. Any other address logs a warning when the server
         * starts: the UI has no authentication, and anyone who reaches the address sees the training data.
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * Lets DL4J's routes take uploads ({@code /tsne/upload}, {@code /tsne/post/<session>}: files from anyone who
         * reaches the server, stored in its temporary folder until it stops) and other requests with a body.
         * Default false: such requests get 403.
         */
        public Builder allowUploads(boolean allowUploads) {
            this.allowUploads = allowUploads;
            return this;
        }

        /**
         * Starts the server.
         *
         * @throws IllegalArgumentException if the port is outside 0..65535 or the host is no address
         * @throws IllegalStateException    if the server cannot start (port taken, address not of this machine, a
         *                                  DL4J UI server already running in this JVM, ...)
         */
        public TrainingUi start() {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("UI port " + port + "; expected 0..65535");
            }
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("UI host \"" + host + "\"; expected an address of this machine "
                        + "(default " + LOOPBACK + ", 0.0.0.0 for every interface)");
            }
            InetAddress address;
            try {
                address = InetAddress.getByName(host);
            } catch (UnknownHostException | RuntimeException e) {
                throw new IllegalArgumentException("UI host \"" + host + "\": unknown; expected an address of this "
                        + "machine (default " + LOOPBACK + ", 0.0.0.0 for every interface)", e);
            }
            if (!address.isLoopbackAddress()) {
                log.warn("DL4J training UI: listening on {} ({}), not only on this machine: the UI has no "
                        + "authentication; whoever reaches this address sees the training sessions", host,
                        address.isAnyLocalAddress() ? "every interface" : address.getHostAddress());
            }
            boolean uploads = allowUploads;
            return new TrainingUi(UiServerLauncher.start(host, port, router -> {
                RequestGuard.install(router, uploads);
                PagePatches.install(router);
            }), host);
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

    /** The training overview page, e.g. {@code http://127.0.0.1:9000/train/overview}. */
    public String overviewAddress() {
        return address + "/train/overview";
    }

    /** The spectral layers page, e.g. {@code http://127.0.0.1:9000/spectral}. */
    public String spectralAddress() {
        return address + SpectralPage.PATH;
    }

    /** Stops the server and deletes its temporary folders (idempotent). */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: the hook runs stop()
        }
        stop();
    }

    private void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Path directory : temporaryDirectories) {
            try {
                UiServerLauncher.deleteTree(directory);
            } catch (IOException e) {
                log.warn("DL4J training UI: cannot delete its temporary folder {}: {}", directory, e.toString());
            }
        }
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }
}
