package io.github.dl4jspectral.examples.ui;

import io.vertx.ext.web.RoutingContext;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.ui.api.HttpMethod;
import org.deeplearning4j.ui.api.Route;
import org.deeplearning4j.ui.api.UIModule;
import org.deeplearning4j.ui.i18n.I18NResource;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The "Spectral layers" page of DL4J's training UI, at {@code /spectral}: for every training session, its start
 * time and run time, and for each spectral layer the histograms of every group and of the effective weights W,
 * how the eigenvalues move (mean, mean +- one standard deviation, min and max per report), the update:parameter
 * ratio of every trained group, and which groups are frozen ({@link SpectralSessions}). Its data is at
 * {@code /spectral/data} (JSON).
 *
 * <p>DL4J's server finds this module through {@code META-INF/services/org.deeplearning4j.ui.api.UIModule} when it
 * starts, and tells it about every statistics storage attached to it.
 */
public final class SpectralPage implements UIModule {

    /** The page's address on the UI server. */
    public static final String PATH = "/spectral";

    private static final String HTML = "spectral.html";

    private final List<StatsStorage> storages = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private final String html;

    /** Called by DL4J's server (service loader). */
    public SpectralPage() {
        try (InputStream in = SpectralPage.class.getResourceAsStream(HTML)) {
            if (in == null) {
                throw new IllegalStateException(HTML + " is missing from the classpath next to " + SpectralPage.class.getName());
            }
            html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + HTML, e);
        }
    }

    @Override
    public List<Route> getRoutes() {
        return List.of(
                new Route(PATH, HttpMethod.GET, (args, rc) -> rc.response()
                        .putHeader("content-type", "text/html; charset=utf-8").end(html)),
                new Route(PATH + "/data", HttpMethod.GET, (args, rc) -> data(rc)));
    }

    private void data(RoutingContext rc) {
        String body;
        try {
            body = json.writeValueAsString(SpectralSessions.read(storages));
        } catch (JsonProcessingException | RuntimeException e) {
            rc.response().setStatusCode(500).end("spectral page data: " + e);
            return;
        }
        rc.response().putHeader("content-type", "application/json").end(body);
    }

    @Override
    public List<String> getCallbackTypeIDs() {
        return List.of();
    }

    @Override
    public void reportStorageEvents(Collection<StatsStorageEvent> events) {
        // reads the storage on every request instead
    }

    @Override
    public void onAttach(StatsStorage statsStorage) {
        if (!storages.contains(statsStorage)) {
            storages.add(statsStorage);
        }
    }

    @Override
    public void onDetach(StatsStorage statsStorage) {
        storages.remove(statsStorage);
    }

    @Override
    public List<I18NResource> getInternationalizationResources() {
        return List.of();
    }
}
