package io.github.dl4jspectral.examples.ui;

import io.github.dl4jspectral.data.FashionMnist;
import io.github.dl4jspectral.data.FashionMnistIterator;
import io.github.dl4jspectral.data.FashionMnistLocator;
import io.github.dl4jspectral.training.Trainer;
import io.github.dl4jspectral.zoo.ModelSpec;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.VertxUIServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * DL4J's training UI and the spectral page on a free port, fetched (without a browser) while a spectral network
 * (784 - 32 tanh - 10, preset EIGENVALUES) trains on the bundled Fashion-MNIST subset: one server and one training run
 * for the class, one aspect of the pages per test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TrainingUiTest {

    private static final String SESSION = "eigenvalues";
    private static final Duration FIRST_REPORT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicBoolean stop = new AtomicBoolean();
    private TrainingUi ui;
    private String base;
    private CompletableFuture<Trainer.Timing> training;

    private HttpResponse<String> get(String address) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(address)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(address, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(address, e);
        }
    }

    /** The body of {@code address} once {@code done} holds for it; fails after {@code timeout} naming the last body. */
    private String awaitBody(String address, Predicate<String> done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = get(address).body();
            if (done.test(body)) {
                return body;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        return fail(what + " not served within " + timeout + " by " + address + "; last answer: " + body);
    }

    @BeforeAll
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void startTrainingWithTheUi() {
        MultiLayerNetwork network = ModelSpec.of(ModelSpec.Kind.EIGENVALUES).network(784, 32, 10, Activation.TANH, 1e-2, 1);
        FashionMnistIterator data = FashionMnistIterator.builder(FashionMnist.Split.TRAIN)
                .locator(FashionMnistLocator.builder().bundledSubsetOnly().build())
                .examples(2000).batchSize(50).shuffle(1).build();
        ui = TrainingUi.start(0);
        ui.attach(network, SESSION);
        base = "http://127.0.0.1:" + ui.port();
        Trainer.Progress stopWhenAsked = (epoch, batches) -> {
            if (stop.get()) {
                throw new CancellationException("test done");
            }
        };
        training = CompletableFuture.supplyAsync(() -> Trainer.fit(network, data, 1000, stopWhenAsked));
        awaitBody(base + "/train/model/data/1", body -> body.contains("lambdaIn"), FIRST_REPORT,
                "the first parameter report");
    }

    @AfterAll
    void stopTrainingAndTheUi() throws Exception {
        stop.set(true);
        try {
            if (training != null) {
                training.handle((t, e) -> t).get(5, TimeUnit.MINUTES);
            }
        } finally {
            if (ui != null) {
                ui.close();
            }
        }
    }

    private void assertStillTraining() {
        assertFalse(training.isDone(), "the pages must be fetched while the network trains");
    }

    @Test
    void serverListensOnAFreePortAndServesTheOverviewPage() {
        assertTrue(ui.port() > 0, "port " + ui.port());
        HttpResponse<String> overview = get(ui.overviewAddress());
        assertEquals(200, overview.statusCode());
        assertTrue(overview.body().contains("<html") && overview.body().contains("Overview"),
                overview.body().substring(0, Math.min(300, overview.body().length())));
    }

    @Test
    void scoresAreServedWhileTheNetworkTrains() {
        HttpResponse<String> scores = get(base + "/train/overview/data");
        assertEquals(200, scores.statusCode());
        assertTrue(scores.body().contains("\"scores\""), scores.body());
        assertStillTraining();
    }

    @Test
    void histogramsAreKeyedByTheSpectralParameterNamesAndTheEffectiveWeights() {
        String modelData = get(base + "/train/model/data/1").body();
        assertTrue(modelData.contains("lambdaIn") && modelData.contains("lambdaOut"),
                "histograms keyed by the spectral parameter names: " + modelData);
        assertTrue(modelData.contains("\"W\""), "the effective weights under DL4J's default key W: " + modelData);
        assertStillTraining();
    }

    /** The spectral page's data: one session per attached network, its layers and which groups train. */
    private List<Map<String, Object>> sessions() throws IOException {
        HttpResponse<String> spectral = get(ui.spectralAddress() + "/data");
        assertEquals(200, spectral.statusCode());
        return JSON.readValue(spectral.body(), new TypeReference<>() {
        });
    }

    @Test
    void spectralPageListsTheSessionWithTheTrainedGroupsOfEachLayer() throws IOException {
        List<Map<String, Object>> sessions = sessions();
        assertEquals(1, sessions.size(), sessions.toString());
        assertEquals(SESSION, sessions.get(0).get("name"));
        assertTrue(((Number) sessions.get(0).get("startTime")).longValue() > 0, "start time");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> layers = (List<Map<String, Object>>) sessions.get(0).get("layers");
        assertEquals(2, layers.size(), "both layers are spectral");
        @SuppressWarnings("unchecked")
        Map<String, Boolean> trained = ((List<Map<String, Object>>) layers.get(0).get("groups")).stream()
                .collect(Collectors.toMap(g -> (String) g.get("key"), g -> (Boolean) g.get("trained")));
        assertEquals(Map.of("phi", false, "lambdaIn", true, "lambdaOut", true, "b", true, "W", true), trained);
    }

    @Test
    void overviewStartTimeAndRuntimeAreFilledInForKnownSessionsOnly() throws IOException {
        // the Overview's Start Time and Total Runtime, which DL4J's server leaves blank
        long startTime = ((Number) sessions().get(0).get("startTime")).longValue();
        Map<String, String> times = JSON.readValue(get(base + "/spectral/times/" + SESSION).body(),
                new TypeReference<>() {
                });
        assertEquals(new SimpleDateFormat("yyyy-MM-dd HH:mm:ss").format(new Date(startTime)), times.get("startTime"));
        assertTrue(times.get("totalRuntime").matches("((\\d+ h )?\\d+ min )?\\d+ s"), times.toString());
        assertEquals(404, get(base + "/spectral/times/no-such-session").statusCode());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"css/style.css | .chart-header:has(#paramHistButtonsDiv)",
            "js/train/train.js | renderModelPerformanceTable = function"})
    void dl4jAssetsAreSentUnchangedWithThePatchAppended(String asset, String patchMarker) throws IOException {
        String dl4j;
        try (InputStream in = VertxUIServer.class.getResourceAsStream("/deeplearning4jUiAssets/" + asset)) {
            dl4j = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String sent = get(base + "/assets/" + asset).body();
        assertTrue(sent.startsWith(dl4j), asset + " as sent does not start with DL4J's file");
        assertTrue(sent.substring(dl4j.length()).contains(patchMarker),
                asset + " as sent: DL4J's " + dl4j.length() + " characters, then the patch; got " + sent.length());
    }
}
