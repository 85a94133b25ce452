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

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

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

    /**
     * A session's start time and run time for DL4J's Overview ({@code /spectral/times/<session>}, JSON
     * {@code {"startTime": "2026-12-02 05:30:12", "totalRuntime": "1 min 5 s"}}; 404 for an unknown session).
     */
    public static final String TIMES_PATH = PATH + "/times";

    private static final String HTML = "spectral.html";

    private final List<StatsStorage> storages = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private final String html;

    /** Called by DL4J's server (service loader). */
    public SpectralPage() {
        html = Resources.text(SpectralPage.class, HTML);
    }

    @Override
    public List<Route> getRoutes() {
        return List.of(
                new Route(PATH, HttpMethod.GET, (args, rc) -> rc.response()
                        .putHeader("content-type", "text/html; charset=utf-8").end(html)),
                new Route(PATH + "/data", HttpMethod.GET, (args, rc) -> json(rc, "spectral page data",
                        () -> SpectralSessions.read(storages))),
                new Route(TIMES_PATH + "/:sessionId", HttpMethod.GET, (args, rc) -> json(rc, "session times",
                        () -> SpectralSessions.times(storages, args.get(0)).orElse(null))));
    }

    /** Sends {@code value} as JSON; 404 if it is null, 500 with the error if it cannot be computed. */
    private void json(RoutingContext rc, String what, Supplier<Object> value) {
        String body;
        try {
            Object v = value.get();
            if (v == null) {
                rc.response().setStatusCode(404).end(what + ": not found");
                return;
            }
            body = json.writeValueAsString(v);
        } catch (JsonProcessingException | RuntimeException e) {
            rc.response().setStatusCode(500).end(what + ": " + e);
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
