package io.github.dl4jspectral.examples.ui;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import org.deeplearning4j.ui.VertxUIServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Two fixes to DL4J 1.0.0-M2.1's own training pages, each a few lines appended to one of DL4J's assets as the
 * server sends it (DL4J's file first, unchanged, then ours):
 * <ul>
 *   <li>{@code /assets/css/style.css} + {@code dl4j-style-patch.css}: the Model page's parameter and update
 *   histogram headers grow to show DL4J's key selector buttons (its {@code .chart-header} is 16 px high with
 *   {@code overflow: hidden}, and the buttons float below the title, out of sight);</li>
 *   <li>{@code /assets/js/train/train.js} + {@code dl4j-train-patch.js}: the Overview's "Start Time" and "Total
 *   Runtime", which DL4J's server sends empty, are filled from {@link SpectralPage#TIMES_PATH}.</li>
 * </ul>
 * DL4J's server registers its asset route before any module's routes and lets no module reach its Vert.x router;
 * this class takes the router from the server's HTTP server (a private field of {@link VertxUIServer}) and adds
 * routes ordered before DL4J's. If that fails (another DL4J version), it logs a warning and DL4J's pages stay as
 * they are.
 */
final class PagePatches {

    private static final Logger log = LoggerFactory.getLogger(PagePatches.class);

    /** DL4J asset (under {@code /assets/}) and the resource next to this class appended to it. */
    private static final Map<String, String> PATCHES = Map.of(
            "css/style.css", "dl4j-style-patch.css",
            "js/train/train.js", "dl4j-train-patch.js");

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "css", "text/css; charset=utf-8",
            "js", "application/javascript; charset=utf-8");

    /** Routers already patched: {@link VertxUIServer} is one per JVM, and several {@link TrainingUi}s may share it. */
    private static final Set<Router> PATCHED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private PagePatches() {
    }

    /** Adds the patched assets to {@code server}'s router (once per server). */
    static void install(VertxUIServer server) {
        Router router;
        try {
            router = router(server);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("DL4J training UI: cannot reach the Vert.x router of {} ({}); the Model page's key buttons stay"
                    + " hidden and the Overview's Start Time / Total Runtime blank", server.getClass().getName(), e.toString());
            return;
        }
        if (!PATCHED.add(router)) {
            return;
        }
        PATCHES.forEach((asset, patch) -> {
            String body = dl4jAsset(asset) + "\n\n" + Resources.text(PagePatches.class, patch);
            String type = CONTENT_TYPES.get(asset.substring(asset.lastIndexOf('.') + 1));
            router.get("/assets/" + asset).order(-1)
                    .handler(rc -> rc.response().putHeader("content-type", type).end(body));
        });
    }

    private static Router router(VertxUIServer server) throws ReflectiveOperationException {
        Field field = VertxUIServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Object httpServer = field.get(server);
        if (!(httpServer instanceof HttpServer http)) {
            throw new IllegalStateException("field 'server' holds " + httpServer + "; expected a started Vert.x HttpServer");
        }
        Handler<HttpServerRequest> handler = http.requestHandler();
        if (!(handler instanceof Router r)) {
            throw new IllegalStateException("request handler " + handler + "; expected a Vert.x web Router");
        }
        return r;
    }

    private static String dl4jAsset(String asset) {
        return Resources.text(VertxUIServer.class, "/" + VertxUIServer.ASSETS_ROOT_DIRECTORY + asset);
    }
}
