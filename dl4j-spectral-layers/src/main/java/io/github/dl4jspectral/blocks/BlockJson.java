package io.github.dl4jspectral.blocks;

import org.nd4j.shade.jackson.core.JsonGenerator;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.ObjectCodec;
import org.nd4j.shade.jackson.databind.DeserializationContext;
import org.nd4j.shade.jackson.databind.JsonDeserializer;
import org.nd4j.shade.jackson.databind.JsonMappingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.JsonSerializer;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializerProvider;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.nd4j.shade.jackson.annotation.JsonTypeName;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of a {@link PhiBlock} inside a layer's configuration: an object with the kind's {@code "type"} and
 * its {@linkplain PhiBlock#properties() settings}, written in name order together with {@code density}, {@code rank}
 * and {@code seed} (1.0, 0 and 0 for a kind without such a setting), so that a configuration's JSON is the same text
 * in every version, e.g. {@code {"density": 1.0, "rank": 8, "seed": 0, "type": "LOW_RANK"}}. Reading: a missing or
 * null {@code "type"} is the dense block, and properties a kind does not have are ignored. The kinds are the final
 * classes of the sealed {@link PhiBlock} hierarchy, each named by its {@link JsonTypeName}.
 */
public final class BlockJson {

    private static final Map<String, Class<? extends PhiBlock>> KINDS = kinds();
    /** Reads a kind's own properties; kinds ignore properties they do not have. */
    private static final ObjectMapper PROPERTIES = new ObjectMapper()
            .configure(org.nd4j.shade.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private BlockJson() {
    }

    /** The type names of the block kinds, in name order. */
    public static java.util.Set<String> typeNames() {
        return KINDS.keySet();
    }

    /**
     * The block of kind {@code typeName} ({@code null}: dense) with the given settings by JSON name; settings the kind
     * does not have are ignored.
     *
     * @throws IllegalArgumentException for an unknown type name, naming the known ones
     */
    public static PhiBlock read(String typeName, Map<String, ?> properties) {
        ObjectNode node = PROPERTIES.valueToTree(properties);
        try {
            return PROPERTIES.treeToValue(node, kind(typeName == null ? DenseBlock.dense().typeName() : typeName));
        } catch (IOException e) {
            throw new IllegalArgumentException("block " + typeName + ": " + e.getMessage(), e);
        }
    }

    private static Class<? extends PhiBlock> kind(String typeName) {
        Class<? extends PhiBlock> kind = KINDS.get(typeName);
        if (kind == null) {
            throw new IllegalArgumentException("spectral.block.type = " + typeName + "; expected one of "
                    + KINDS.keySet());
        }
        return kind;
    }

    /** Reads a block from the layer's JSON (see the class description). */
    public static final class Reader extends JsonDeserializer<PhiBlock> {
        @Override
        public PhiBlock deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            ObjectCodec codec = parser.getCodec();
            JsonNode node = codec.readTree(parser);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isObject()) {
                throw JsonMappingException.from(parser, "spectral.block = " + node + "; expected an object with a "
                        + "\"type\", one of " + KINDS.keySet());
            }
            JsonNode type = node.get("type");
            String typeName = type == null || type.isNull() ? DenseBlock.dense().typeName() : type.asText();
            Class<? extends PhiBlock> kind = KINDS.get(typeName);
            if (kind == null) {
                throw JsonMappingException.from(parser, "spectral.block.type = " + type + "; expected one of "
                        + KINDS.keySet());
            }
            ObjectNode properties = ((ObjectNode) node).deepCopy();
            properties.remove("type");
            return PROPERTIES.treeToValue(properties, kind);
        }
    }

    /** Writes a block in the form of the class description. */
    public static final class Writer extends JsonSerializer<PhiBlock> {
        @Override
        public void serialize(PhiBlock block, JsonGenerator generator, SerializerProvider provider) throws IOException {
            Map<String, Object> fields = new TreeMap<>(Map.of("density", 1.0, "rank", 0, "seed", 0L));
            fields.putAll(block.properties());
            fields.put("type", block.typeName());
            generator.writeStartObject();
            for (Map.Entry<String, Object> field : fields.entrySet()) {
                generator.writeObjectField(field.getKey(), field.getValue());
            }
            generator.writeEndObject();
        }
    }

    /** The concrete classes of the sealed hierarchy by their {@link JsonTypeName}. */
    private static Map<String, Class<? extends PhiBlock>> kinds() {
        Map<String, Class<? extends PhiBlock>> kinds = new TreeMap<>();
        Deque<Class<?>> open = new ArrayDeque<>(java.util.List.of(PhiBlock.class));
        while (!open.isEmpty()) {
            Class<?> type = open.pop();
            if (type.isSealed()) {
                open.addAll(java.util.List.of(type.getPermittedSubclasses()));
            } else {
                JsonTypeName name = type.getAnnotation(JsonTypeName.class);
                if (name == null) {
                    throw new IllegalStateException(type.getName() + " has no @JsonTypeName; expected every block kind "
                            + "to name its JSON type");
                }
                kinds.put(name.value(), type.asSubclass(PhiBlock.class));
            }
        }
        return java.util.Collections.unmodifiableMap(kinds);
    }
}
