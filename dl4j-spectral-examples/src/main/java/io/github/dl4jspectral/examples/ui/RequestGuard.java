package io.github.dl4jspectral.examples.ui;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.deeplearning4j.ui.VertxUIServer;

import java.util.regex.Pattern;

/**
 * The first route of the training UI's server, ahead of DL4J's own (which include a body handler that stores any
 * multipart upload in its temporary folder, and {@code /tsne/upload}, which accepts files from anyone):
 * <ul>
 *   <li>unless uploads are allowed, a request that is not a GET or HEAD, or that carries a body, gets 403 before
 *   anything reads its body: the pages only read;</li>
 *   <li>an {@code /assets/} request gets 404 at once unless it names, in plain characters (letters, digits,
 *   {@code . _ - /}, no {@code .} or {@code ..} segment, no percent-encoding), a file DL4J's asset route would find
 *   on the class path; DL4J's own route leaves a request for anything else unanswered until the client gives up.</li>
 * </ul>
 */
final class RequestGuard {

    /** Before DL4J's routes (order 0 and up) and this package's page patches (order -1). */
    static final int ORDER = -2;

    private static final String ASSETS = "/assets/";
    private static final Pattern PLAIN_ASSET = Pattern.compile("/assets(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");

    private RequestGuard() {
    }

    /** Installs the guard as the first route of {@code router}. */
    static void install(Router router, boolean allowUploads) {
        router.route().order(ORDER).handler(rc -> handle(rc, allowUploads));
    }

    private static void handle(RoutingContext rc, boolean allowUploads) {
        HttpServerRequest request = rc.request();
        if (!allowUploads && (!(request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) || hasBody(request))) {
            rc.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end("This training UI only reads: uploads are off (TrainingUi.Builder.allowUploads).\n");
            return;
        }
        String path = request.path();
        String normalised = rc.normalisedPath();
        if ((path != null && path.startsWith(ASSETS)) || (normalised != null && normalised.startsWith(ASSETS))) {
            if (path == null || !PLAIN_ASSET.matcher(path).matches() || !path.substring(path.lastIndexOf('/')).contains(".")
                    || VertxUIServer.class.getClassLoader().getResource(dl4jResource(path)) == null) {
                rc.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                        .end("Not found\n");
                return;
            }
        }
        rc.next();
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || (length != null && !length.strip().equals("0"));
    }

    /** The class path resource DL4J's {@code /assets/*} route sends for {@code path} (VertxUIServer 1.0.0-M2.1). */
    private static String dl4jResource(String path) {
        String asset = path.substring(ASSETS.length());
        return asset.contains("webjars") ? "META-INF/resources/" + asset.substring(asset.indexOf("webjars"))
                : VertxUIServer.ASSETS_ROOT_DIRECTORY + asset;
    }
}
