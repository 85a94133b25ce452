package io.github.dl4jspectral.keras;

import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rewrites the JSON attributes of a Keras H5 file ({@code model_config}, {@code training_config}) into the Keras 2
 * layout that DL4J's {@code KerasModelImport} reads. Each rewrite applies only where the Keras 3 form is present, so a
 * Keras 2 configuration passes unchanged except for the additions listed below:
 * <ul>
 *   <li>{@code InputLayer}: {@code batch_shape} becomes {@code batch_input_shape}; a Sequential model without an
 *       {@code InputLayer} gets its {@code build_input_shape} as the first layer's {@code batch_input_shape};</li>
 *   <li>serialized objects ({@code {module, class_name, config, registered_name}}) lose {@code module} and
 *       {@code registered_name}; a dtype policy object becomes its name ({@code "float32"});</li>
 *   <li>Functional models: {@code inbound_nodes} of the form {@code {args: [keras tensors], kwargs}} become lists of
 *       {@code [layer, node, tensor, {}]}; {@code input_layers}/{@code output_layers} given as one
 *       {@code [layer, node, tensor]} become a list of them;</li>
 *   <li>the Spectral layer (class {@link KerasSpectral#CLASS_NAMES}) gets {@code units}, which it does not store,
 *       from its weights; without enforced training configuration its regularizers and constraints are removed;</li>
 *   <li>{@code training_config}: an optimizer without {@code decay} gets {@code decay = 0}; a loss given as a
 *       serialized object ({@code CategoricalCrossentropy}) becomes its function name ({@code categorical_crossentropy}).</li>
 * </ul>
 */
final class KerasConfigNormalizer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KerasConfigNormalizer() {
    }

    /**
     * The normalized {@code model_config}.
     *
     * @param spectralUnits      output size of each Spectral layer by layer name, read from its weights
     * @param keepTrainingConfig if false, the Spectral layers' regularizers and constraints are removed (they change
     *                           training only); if true they stay, and the layer import refuses them
     */
    static String modelConfig(String json, Map<String, Integer> spectralUnits, boolean keepTrainingConfig)
            throws KerasImportException {
        Map<String, Object> model = parse(json, "model_config");
        Object normalized = stripSerializationKeys(model);
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) normalized;
        Map<String, Object> config = asMap(root.get("config"));
        List<Object> layers = config == null ? null : asList(config.get("layers"));
        if (layers != null) {
            for (Object entry : layers) {
                Map<String, Object> layer = asMap(entry);
                if (layer != null) {
                    normalizeLayer(layer, spectralUnits, keepTrainingConfig);
                }
            }
            if ("Sequential".equals(root.get("class_name"))) {
                giveFirstLayerItsInputShape(layers, config.get("build_input_shape"));
            }
            nestEndpointList(config, "input_layers");
            nestEndpointList(config, "output_layers");
        }
        return write(root);
    }

    /** The normalized {@code training_config}. */
    static String trainingConfig(String json) throws KerasImportException {
        @SuppressWarnings("unchecked")
        Map<String, Object> training = (Map<String, Object>) stripSerializationKeys(parse(json, "training_config"));
        Map<String, Object> optimizer = asMap(training.get("optimizer_config"));
        Map<String, Object> optimizerConfig = optimizer == null ? null : asMap(optimizer.get("config"));
        if (optimizerConfig != null) {
            optimizerConfig.putIfAbsent("decay", 0.0);
        }
        Map<String, Object> loss = asMap(training.get("loss"));
        if (loss != null && loss.get("class_name") instanceof String lossClass) {
            training.put("loss", snakeCase(lossClass));
        }
        return write(training);
    }

    /** The layers of a model configuration as (name, class_name) pairs, in order. */
    static Map<String, String> layerClasses(String modelConfigJson) throws KerasImportException {
        Map<String, String> classes = new LinkedHashMap<>();
        Map<String, Object> config = asMap(parse(modelConfigJson, "model_config").get("config"));
        List<Object> layers = config == null ? null : asList(config.get("layers"));
        for (Object entry : layers == null ? List.of() : layers) {
            Map<String, Object> layer = asMap(entry);
            if (layer != null && layer.get("class_name") instanceof String className) {
                classes.put(layerName(layer), className);
            }
        }
        return classes;
    }

    private static void normalizeLayer(Map<String, Object> layer, Map<String, Integer> spectralUnits,
                                       boolean keepTrainingConfig) {
        Map<String, Object> config = asMap(layer.get("config"));
        if (config == null) {
            return;
        }
        Object className = layer.get("class_name");
        if ("InputLayer".equals(className) && config.containsKey("batch_shape")) {
            config.putIfAbsent("batch_input_shape", config.remove("batch_shape"));
        }
        if (KerasSpectral.CLASS_NAMES.contains(className)) {
            Integer units = spectralUnits.get(layerName(layer));
            if (units != null) {
                config.putIfAbsent("units", units);
            }
            if (!keepTrainingConfig) {
                KerasSpectral.TRAINING_ONLY_FIELDS.forEach(config::remove);
            }
        }
        if (layer.get("inbound_nodes") instanceof List<?> nodes) {
            layer.put("inbound_nodes", keras2InboundNodes(nodes));
        }
    }

    private static String layerName(Map<String, Object> layer) {
        Object name = layer.get("name");
        if (name == null && asMap(layer.get("config")) != null) {
            name = asMap(layer.get("config")).get("name");
        }
        return String.valueOf(name);
    }

    /** Keras 3 nodes {@code {args, kwargs}} to Keras 2 nodes {@code [[layer, node, tensor, {}], ...]}. */
    private static List<Object> keras2InboundNodes(List<?> nodes) {
        List<Object> converted = new ArrayList<>();
        for (Object node : nodes) {
            Map<String, Object> keras3Node = asMap(node);
            if (keras3Node == null || !keras3Node.containsKey("args")) {
                converted.add(node);
                continue;
            }
            List<Object> inbound = new ArrayList<>();
            collectKerasTensors(keras3Node.get("args"), inbound);
            converted.add(inbound);
        }
        return converted;
    }

    private static void collectKerasTensors(Object value, List<Object> inbound) {
        if (value instanceof List<?> list) {
            list.forEach(item -> collectKerasTensors(item, inbound));
            return;
        }
        Map<String, Object> tensor = asMap(value);
        if (tensor == null || !"__keras_tensor__".equals(tensor.get("class_name"))) {
            return;
        }
        List<Object> history = asList(asMap(tensor.get("config")) == null ? null
                : asMap(tensor.get("config")).get("keras_history"));
        if (history != null && history.size() == 3) {
            List<Object> link = new ArrayList<>(history);
            link.add(new LinkedHashMap<>());
            inbound.add(link);
        }
    }

    private static void giveFirstLayerItsInputShape(List<Object> layers, Object buildInputShape) {
        if (layers.isEmpty() || buildInputShape == null) {
            return;
        }
        Map<String, Object> first = asMap(layers.get(0));
        Map<String, Object> config = first == null ? null : asMap(first.get("config"));
        if (config != null && !"InputLayer".equals(first.get("class_name"))) {
            config.putIfAbsent("batch_input_shape", buildInputShape);
        }
    }

    /** {@code ["input", 0, 0]} to {@code [["input", 0, 0]]}; a list of lists stays. */
    private static void nestEndpointList(Map<String, Object> config, String field) {
        List<Object> endpoints = asList(config.get(field));
        if (endpoints != null && !endpoints.isEmpty() && endpoints.get(0) instanceof String) {
            List<Object> nested = new ArrayList<>();
            nested.add(endpoints);
            config.put(field, nested);
        }
    }

    /** Removes {@code module} and {@code registered_name} from serialized objects; dtype policies become names. */
    private static Object stripSerializationKeys(Object value) {
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(item -> out.add(stripSerializationKeys(item)));
            return out;
        }
        Map<String, Object> map = asMap(value);
        if (map == null) {
            return value;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        boolean serializedObject = map.containsKey("class_name");
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (serializedObject && (e.getKey().equals("module") || e.getKey().equals("registered_name"))) {
                continue;
            }
            Object v = e.getKey().equals("dtype") ? dtypeName(e.getValue()) : e.getValue();
            out.put(e.getKey(), stripSerializationKeys(v));
        }
        return out;
    }

    private static Object dtypeName(Object dtype) {
        Map<String, Object> policy = asMap(dtype);
        if (policy != null && String.valueOf(policy.get("class_name")).endsWith("DTypePolicy")) {
            Map<String, Object> config = asMap(policy.get("config"));
            if (config != null && config.get("name") instanceof String name) {
                return name;
            }
        }
        return dtype;
    }

    /** {@code CategoricalCrossentropy} to {@code categorical_crossentropy}. */
    static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static Map<String, Object> parse(String json, String attribute) throws KerasImportException {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException | RuntimeException e) {
            throw new KerasImportException(attribute + ": not a JSON object (" + e.getMessage() + ")"
                    + "; expected the configuration Keras writes with model.save(\"...h5\")", e);
        }
    }

    private static String write(Object value) throws KerasImportException {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new KerasImportException("normalized configuration: not writable as JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : null;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object value) {
        return value instanceof List<?> ? (List<Object>) value : null;
    }
}
