package io.github.dl4jspectral.examples.ui;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import org.deeplearning4j.ui.VertxUIServer;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Starts DL4J 1.0.0-M2.1's {@link VertxUIServer} listening on one address. DL4J's verticle creates its HTTP server
 * with Vert.x's defaults, which listen on every interface, and has no setting for the address; this class deploys
 * DL4J's verticle itself and hands it a Vert.x instance (a proxy of a real one) whose {@code createHttpServer()}
 * listens on the given host. Everything else is DL4J's: its routes, modules, statistics and stop.
 *
 * <p>Reached by reflection, checked here and failing loudly with another DL4J version: the verticle's private static
 * {@code instancePort} (the port its {@code start} listens on) and its private field {@code server} (the Vert.x HTTP
 * server, whose request handler is DL4J's router). {@code configure} gets that router inside the verticle's start,
 * on its event loop, before any request can be handled. The started server's temporary directories
 * ({@code DL4JUI_<milliseconds>} under {@code java.io.tmpdir}, the file uploads folder DL4J creates on start) are
 * recognised as the ones that appear during the start.
 */
final class UiServerLauncher {

    /** DL4J's file uploads folder, created by the verticle's start in {@code java.io.tmpdir}. */
    private static final String UPLOADS_FOLDER = "DL4JUI_";

    /** A started server and the temporary directories it made. */
    record Started(VertxUIServer server, List<Path> temporaryDirectories) {
    }

    private UiServerLauncher() {
    }

    /**
     * Deploys DL4J's UI verticle on a new Vert.x instance, listening on {@code host}:{@code port} (0: a free port);
     * {@code configure} gets the server's router before it handles any request.
     *
     * @throws IllegalStateException if a DL4J UI server already runs in this JVM, or the server cannot start
     */
    static Started start(String host, int port, Consumer<Router> configure) {
        VertxUIServer running = VertxUIServer.getInstance();
        if (running != null && !running.isStopped()) {
            throw new IllegalStateException("a DL4J training UI server already runs in this JVM (port "
                    + running.getPort() + "); expected none: close it first (one per JVM)");
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> created = new ArrayList<>();
        Vertx vertx = Vertx.vertx();
        VertxUIServer server = new VertxUIServer() {
            @Override
            public void init(Vertx owner, Context context) {
                super.init(listeningOn(owner, host), context);
            }

            @Override
            public void start(Promise<Void> started) throws Exception {
                Set<Path> before = uploadFolders(tmp);
                super.start(started);
                Set<Path> after = uploadFolders(tmp);
                after.removeAll(before);
                created.addAll(after);
                configure.accept(router(this));
            }
        };
        CompletableFuture<String> deployed = new CompletableFuture<>();
        try {
            setDl4jPort(port);
            VertxUIServer.getMultiSession().set(false);
            VertxUIServer.setStatsStorageProvider(null);
            vertx.deployVerticle(server, result -> {
                if (result.succeeded()) {
                    deployed.complete(result.result());
                } else {
                    deployed.completeExceptionally(result.cause());
                }
            });
            deployed.get(2, TimeUnit.MINUTES);
            return new Started(server, List.copyOf(created));
        } catch (ExecutionException | TimeoutException | ReflectiveOperationException | RuntimeException e) {
            vertx.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new IllegalStateException("DL4J training UI could not start on " + host + ":" + port + ": " + cause, e);
        } catch (InterruptedException e) {
            vertx.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("DL4J training UI: interrupted while starting", e);
        }
    }

    /** The router serving {@code server}'s requests: the request handler of its private Vert.x HTTP server. */
    static Router router(VertxUIServer server) {
        try {
            Field field = VertxUIServer.class.getDeclaredField("server");
            field.setAccessible(true);
            Object httpServer = field.get(server);
            if (!(httpServer instanceof HttpServer http)) {
                throw new IllegalStateException("field 'server' holds " + httpServer + "; expected a Vert.x HttpServer");
            }
            Handler<HttpServerRequest> handler = http.requestHandler();
            if (!(handler instanceof Router router)) {
                throw new IllegalStateException("request handler " + handler + "; expected a Vert.x web Router");
            }
            return router;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the Vert.x router of " + VertxUIServer.class.getName()
                    + " (" + e + "); expected DL4J 1.0.0-M2.1's field 'server'", e);
        }
    }

    /** Deletes {@code directory} and everything in it, if it exists. */
    static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(directory, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                for (Path entry : entries) {
                    deleteTree(entry);
                }
            }
        }
        Files.deleteIfExists(directory);
    }

    /** Sets the port DL4J's verticle listens on (its private static {@code instancePort}). */
    private static void setDl4jPort(int port) throws ReflectiveOperationException {
        Field field = VertxUIServer.class.getDeclaredField("instancePort");
        if (!Modifier.isStatic(field.getModifiers()) || field.getType() != Integer.class) {
            throw new NoSuchFieldException("instancePort is not a static Integer");
        }
        field.setAccessible(true);
        field.set(null, port);
    }

    /** {@code vertx}, except that {@code createHttpServer()} makes a server listening on {@code host}. */
    private static Vertx listeningOn(Vertx vertx, String host) {
        return wrap(vertx, Vertx.class, (method, args) -> method.getName().equals("createHttpServer") && args == null
                ? Optional.of(listeningOn(vertx.createHttpServer(new HttpServerOptions().setHost(host)), host))
                : Optional.empty());
    }

    /**
     * {@code server}, except that {@code listen(port)} and {@code listen(port, handler)} listen on {@code host}: Vert.x
     * 3.9 has them listen on 0.0.0.0 whatever the server's options say, and DL4J calls the second.
     */
    @SuppressWarnings("unchecked")
    private static HttpServer listeningOn(HttpServer server, String host) {
        return wrap(server, HttpServer.class, (method, args) -> {
            if (!method.getName().equals("listen") || args == null || !(args[0] instanceof Integer port)) {
                return Optional.empty();
            }
            if (args.length == 1) {
                return Optional.of(server.listen(port, host));
            }
            if (args.length == 2 && args[1] instanceof Handler<?> handler) {
                return Optional.of(server.listen(port, host, (Handler<AsyncResult<HttpServer>>) handler));
            }
            return Optional.empty();
        });
    }

    /** A call a {@link #wrap wrapper} answers itself (a value), or passes on to the wrapped object (empty). */
    @FunctionalInterface
    private interface Interception {
        Optional<Object> answer(Method method, Object[] args) throws Throwable;
    }

    /**
     * A proxy of {@code target} with all its public interfaces: each call goes to {@code interception}, else to
     * {@code target}; a call that returns {@code target} itself (a fluent setter) returns the proxy.
     */
    private static <T> T wrap(T target, Class<T> type, Interception interception) {
        InvocationHandler calls = (proxy, method, args) -> {
            Optional<Object> answer = interception.answer(method, args);
            Object result;
            if (answer.isPresent()) {
                result = answer.get();
            } else {
                try {
                    result = method.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
            return result == target ? proxy : result;
        };
        Set<Class<?>> interfaces = new LinkedHashSet<>(List.of(type));
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (Modifier.isPublic(i.getModifiers())) {
                    interfaces.add(i);
                }
            }
        }
        return type.cast(Proxy.newProxyInstance(UiServerLauncher.class.getClassLoader(),
                interfaces.toArray(Class<?>[]::new), calls));
    }

    private static Set<Path> uploadFolders(Path tmp) throws IOException {
        Set<Path> folders = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp, UPLOADS_FOLDER + "*")) {
            for (Path entry : entries) {
                if (entry.getFileName().toString().substring(UPLOADS_FOLDER.length()).matches("\\d+")) {
                    folders.add(entry);
                }
            }
        }
        return folders;
    }
}
