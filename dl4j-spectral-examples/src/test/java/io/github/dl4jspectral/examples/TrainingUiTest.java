package io.github.dl4jspectral.examples;

import io.github.dl4jspectral.data.FashionMnist;
import io.github.dl4jspectral.data.FashionMnistIterator;
import io.github.dl4jspectral.data.FashionMnistLocator;
import io.github.dl4jspectral.zoo.ModelSpec;
import io.github.dl4jspectral.training.Trainer;
import io.github.dl4jspectral.examples.ui.TrainingUi;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.VertxUIServer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DL4J's training UI and the spectral page on a free port, fetched (without a browser) while a spectral network trains. */
class TrainingUiTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private HttpResponse<String> get(String address) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(address)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void overviewPageAndEigenvalueHistogramsAreServedDuringTraining() throws Exception {
        MultiLayerNetwork network = ModelSpec.of(ModelSpec.Kind.EIGENVALUES).network(784, 32, 10, Activation.TANH, 1e-2, 1);
        FashionMnistIterator data = FashionMnistIterator.builder(FashionMnist.Split.TRAIN)
                .locator(FashionMnistLocator.builder().bundledSubsetOnly().build())
                .examples(2000).batchSize(50).shuffle(1).build();
        try (TrainingUi ui = TrainingUi.start(0)) {
            assertTrue(ui.port() > 0);
            ui.attach(network, "eigenvalues");
            AtomicBoolean stop = new AtomicBoolean();
            Trainer.Progress stopWhenAsked = (epoch, batches) -> {
                if (stop.get()) {
                    throw new CancellationException("test done");
                }
            };
            CompletableFuture<Trainer.Timing> training = CompletableFuture.supplyAsync(
                    () -> Trainer.fit(network, data, 1000, stopWhenAsked));
            String base = "http://127.0.0.1:" + ui.port();
            String modelData = "";
            for (int attempt = 0; attempt < 120 && !modelData.contains("lambdaIn"); attempt++) {
                Thread.sleep(250);
                modelData = get(base + "/train/model/data/1").body();
            }
            assertTrue(!training.isDone(), "the pages must be fetched while the network trains");

            HttpResponse<String> overview = get(ui.overviewAddress());
            assertEquals(200, overview.statusCode());
            assertTrue(overview.body().contains("<html") && overview.body().contains("Overview"),
                    overview.body().substring(0, Math.min(300, overview.body().length())));
            HttpResponse<String> scores = get(base + "/train/overview/data");
            assertEquals(200, scores.statusCode());
            assertTrue(scores.body().contains("\"scores\""), scores.body());
            assertTrue(modelData.contains("lambdaIn") && modelData.contains("lambdaOut"),
                    "histograms keyed by the spectral parameter names: " + modelData);
            assertTrue(modelData.contains("\"W\""), "the effective weights under DL4J's default key W: " + modelData);

            HttpResponse<String> spectral = get(ui.spectralAddress() + "/data");
            assertEquals(200, spectral.statusCode());
            List<Map<String, Object>> sessions = new ObjectMapper().readValue(spectral.body(), new TypeReference<>() {
            });
            assertEquals(1, sessions.size(), spectral.body());
            assertEquals("eigenvalues", sessions.get(0).get("name"));
            assertTrue(((Number) sessions.get(0).get("startTime")).longValue() > 0, "start time");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> layers = (List<Map<String, Object>>) sessions.get(0).get("layers");
            assertEquals(2, layers.size(), "both layers are spectral");
            @SuppressWarnings("unchecked")
            Map<String, Boolean> trained = ((List<Map<String, Object>>) layers.get(0).get("groups")).stream()
                    .collect(Collectors.toMap(g -> (String) g.get("key"), g -> (Boolean) g.get("trained")));
            assertEquals(Map.of("phi", false, "lambdaIn", true, "lambdaOut", true, "b", true, "W", true), trained);

            // the Overview's Start Time and Total Runtime, which DL4J's server leaves blank
            Map<String, String> times = new ObjectMapper().readValue(get(base + "/spectral/times/eigenvalues").body(),
                    new TypeReference<>() {
                    });
            assertEquals(new SimpleDateFormat("yyyy-MM-dd HH:mm:ss").format(
                    new Date(((Number) sessions.get(0).get("startTime")).longValue())), times.get("startTime"));
            assertTrue(times.get("totalRuntime").matches("((\\d+ h )?\\d+ min )?\\d+ s"), times.toString());
            assertEquals(404, get(base + "/spectral/times/no-such-session").statusCode());
            // DL4J's assets as sent: DL4J's file unchanged, then the patch
            for (String[] asset : new String[][]{{"css/style.css", ".chart-header:has(#paramHistButtonsDiv)"},
                    {"js/train/train.js", "renderModelPerformanceTable = function"}}) {
                String dl4j;
                try (InputStream in = VertxUIServer.class.getResourceAsStream("/deeplearning4jUiAssets/" + asset[0])) {
                    dl4j = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                String sent = get(base + "/assets/" + asset[0]).body();
                assertTrue(sent.startsWith(dl4j) && sent.length() > dl4j.length() && sent.substring(dl4j.length()).contains(asset[1]),
                        asset[0] + " as sent: DL4J's " + dl4j.length() + " characters, then the patch; got " + sent.length());
            }

            stop.set(true);
            training.handle((t, e) -> t).get(5, TimeUnit.MINUTES);
        }
    }
}

