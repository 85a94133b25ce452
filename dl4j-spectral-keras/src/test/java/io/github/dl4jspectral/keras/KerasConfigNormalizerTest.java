package io.github.dl4jspectral.keras;

import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration rewrites from the Keras 3 layout to the Keras 2 layout DL4J reads, on configurations Keras wrote. */
class KerasConfigNormalizerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Keras 3.15 functional model's configuration (as written by Keras, shortened to two layers). */
    private static final String KERAS3_FUNCTIONAL = """
            {"class_name": "Functional", "config": {"name": "functional", "trainable": true, "layers": [
             {"class_name": "InputLayer", "config": {"batch_shape": [null, 4], "dtype": "float32", "sparse": false,
              "ragged": false, "name": "input_layer", "optional": false}, "name": "input_layer", "inbound_nodes": []},
             {"class_name": "spectral>Spectral", "config": {"name": "spectral_1", "trainable": true,
              "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
              "activation": "relu", "is_base_trainable": false, "is_diag_start_trainable": true,
              "is_diag_end_trainable": true, "use_bias": true, "base_regularizer": {"class_name": "L2", "config": {"l2": 0.1}},
              "diag_regularizer": null, "bias_regularizer": null, "base_constraint": null, "diag_constraint": null,
              "bias_constraint": null}, "name": "spectral_1", "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__",
              "config": {"shape": [null, 4], "dtype": "float32", "keras_history": ["input_layer", 0, 0]}}], "kwargs": {}}]},
             {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "units": 2,
              "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
               "config": {"seed": null}, "registered_name": null}}, "registered_name": null, "name": "dense",
              "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 3],
               "dtype": "float32", "keras_history": ["spectral_1", 0, 0]}}], "kwargs": {}}]}],
             "input_layers": ["input_layer", 0, 0], "output_layers": ["dense", 0, 0]}}
            """;

    /** A Keras 2 (tensorflow.python.keras) Sequential configuration, as written by Keras. */
    private static final String KERAS2_SEQUENTIAL = """
            {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
             {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32",
              "sparse": false, "ragged": false, "name": "input_1"}},
             {"class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": "float32", "units": 2,
              "activation": "softmax", "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform",
              "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}},
              "kernel_regularizer": null}}]}}
            """;

    private static JsonNode normalized(String json, boolean keepTrainingConfig) throws Exception {
        return JSON.readTree(KerasConfigNormalizer.modelConfig(json, Map.of("spectral_1", 3), keepTrainingConfig));
    }

    @Test
    void keras3FunctionalBecomesTheKeras2Layout() throws Exception {
        JsonNode config = normalized(KERAS3_FUNCTIONAL, false).get("config");
        JsonNode input = config.get("layers").get(0).get("config");
        assertEquals(JSON.readTree("[null, 4]"), input.get("batch_input_shape"));
        assertFalse(input.has("batch_shape"));
        JsonNode spectral = config.get("layers").get(1);
        assertEquals(JSON.readTree("[[[\"input_layer\", 0, 0, {}]]]"), spectral.get("inbound_nodes"));
        assertEquals("float32", spectral.get("config").get("dtype").asText());
        assertEquals(3, spectral.get("config").get("units").asInt());
        assertFalse(spectral.get("config").has("base_regularizer"), "dropped without enforced training configuration");
        JsonNode dense = config.get("layers").get(2);
        assertFalse(dense.has("module") || dense.has("registered_name"));
        assertFalse(dense.get("config").get("kernel_initializer").has("module"));
        assertEquals("GlorotUniform", dense.get("config").get("kernel_initializer").get("class_name").asText());
        assertEquals(JSON.readTree("[[\"input_layer\", 0, 0]]"), config.get("input_layers"));
        assertEquals(JSON.readTree("[[\"dense\", 0, 0]]"), config.get("output_layers"));
    }

    @Test
    void withEnforcedTrainingConfigurationTheSpectralRegularizerStays() throws Exception {
        JsonNode spectral = normalized(KERAS3_FUNCTIONAL, true).get("config").get("layers").get(1).get("config");
        assertEquals(0.1, spectral.get("base_regularizer").get("config").get("l2").asDouble(), 0.0);
    }

    @Test
    void aKeras2ConfigurationPassesUnchanged() throws Exception {
        assertEquals(JSON.readTree(KERAS2_SEQUENTIAL), normalized(KERAS2_SEQUENTIAL, true));
    }

    @Test
    void aSequentialWithoutInputLayerGetsItsBuildInputShape() throws Exception {
        String json = """
                {"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense",
                 "config": {"name": "d", "units": 2}}], "build_input_shape": [null, 7]}}
                """;
        JsonNode first = normalized(json, false).get("config").get("layers").get(0).get("config");
        assertEquals(JSON.readTree("[null, 7]"), first.get("batch_input_shape"));
    }

    @Test
    void trainingConfigurationGetsDecayAndALossName() throws Exception {
        String json = """
                {"loss": {"module": "keras.losses", "class_name": "CategoricalCrossentropy", "config": {},
                 "registered_name": null}, "optimizer_config": {"module": "keras.optimizers", "class_name": "SGD",
                 "config": {"name": "SGD", "learning_rate": 0.01}, "registered_name": null}}
                """;
        JsonNode training = JSON.readTree(KerasConfigNormalizer.trainingConfig(json));
        assertEquals("categorical_crossentropy", training.get("loss").asText());
        assertEquals(0.0, training.get("optimizer_config").get("config").get("decay").asDouble(), 0.0);
        assertEquals(0.01, training.get("optimizer_config").get("config").get("learning_rate").asDouble(), 0.0);
        assertFalse(training.get("optimizer_config").has("module"));
    }

    @Test
    void anExistingDecayIsKept() throws Exception {
        String json = "{\"loss\": \"mse\", \"optimizer_config\": {\"class_name\": \"Adam\", \"config\": {\"decay\": 0.5}}}";
        JsonNode training = JSON.readTree(KerasConfigNormalizer.trainingConfig(json));
        assertEquals(0.5, training.get("optimizer_config").get("config").get("decay").asDouble(), 0.0);
        assertEquals("mse", training.get("loss").asText());
    }

    @Test
    void malformedJsonNamesTheAttribute() {
        KerasImportException e = assertThrows(KerasImportException.class,
                () -> KerasConfigNormalizer.modelConfig("[1, 2", Map.of(), false));
        assertTrue(e.getMessage().startsWith("model_config: not a JSON object"), e.getMessage());
    }
}
