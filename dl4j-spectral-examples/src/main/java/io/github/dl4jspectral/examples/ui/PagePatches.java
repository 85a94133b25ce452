package io.github.dl4jspectral.examples.ui;

import io.vertx.ext.web.Router;
import org.deeplearning4j.ui.VertxUIServer;

import java.util.Map;

/**
 * Fixes to DL4J 1.0.0-M2.1's own training pages, each a few lines appended to one of DL4J's assets as the server
 * sends it (DL4J's file first, unchanged, then ours):
 * <ul>
 *   <li>{@code /assets/css/style.css} + {@code dl4j-style-patch.css}: the Model page's parameter and update
 *   histogram headers grow to show DL4J's key selector buttons (its {@code .chart-header} is 16 px high with
 *   {@code overflow: hidden}, and the buttons float below the title, out of sight); its ratio chart header shows
 *   the title's unit ("log10") and its tabs without either hiding the other;</li>
 *   <li>{@code /assets/js/train/train.js} + {@code dl4j-train-patch.js}, on every page: a "Spectral layers" link
 *   to {@link SpectralPage#PATH} in the sidebar; on the Overview, "Start Time" and "Total Runtime", which DL4J's
 *   server sends empty, filled from {@link SpectralPage#TIMES_PATH}, and a note instead of an empty Standard
 *   Deviations chart (a spectral network's Gradients tab: DL4J plots gradients of parameters named W only).</li>
 * </ul>
 * DL4J's server registers its asset route before any module's routes and lets no module reach its Vert.x router;
 * {@link UiServerLauncher} hands the router to {@link #install}, which adds routes ordered before DL4J's.
 */
final class PagePatches {

    /** DL4J asset (under {@code /assets/}) and the resource next to this class appended to it. */
    private static final Map<String, String> PATCHES = Map.of(
            "css/style.css", "dl4j-style-patch.css",
            "js/train/train.js", "dl4j-train-patch.js");

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "css", "text/css; charset=utf-8",
            "js", "application/javascript; charset=utf-8");

    private PagePatches() {
    }

    /** Adds the patched assets to {@code router}, DL4J's UI server's, ahead of DL4J's asset route. */
    static void install(Router router) {
        PATCHES.forEach((asset, patch) -> {
            String body = dl4jAsset(asset) + "\n\n" + Resources.text(PagePatches.class, patch);
            String type = CONTENT_TYPES.get(asset.substring(asset.lastIndexOf('.') + 1));
            router.get("/assets/" + asset).order(-1)
                    .handler(rc -> rc.response().putHeader("content-type", type).end(body));
        });
    }

    private static String dl4jAsset(String asset) {
        return Resources.text(VertxUIServer.class, "/" + VertxUIServer.ASSETS_ROOT_DIRECTORY + asset);
    }
}
