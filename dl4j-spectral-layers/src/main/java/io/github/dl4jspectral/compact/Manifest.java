package io.github.dl4jspectral.compact;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The manifest of a compact model file ({@value CompactModelFile#MANIFEST}): what the file holds and how to check it.
 * Parsing checks the form of every field (a known format and version, a network type, a floating-point data type,
 * non-negative integer sizes whose products are exact, SHA-256s of 64 hex digits, only known entries) before any
 * value is used.
 *
 * @param version   {@value CompactModelFile#VERSION} for files written now; 1 for files written before entries had
 *                  digests
 * @param network   {@code MultiLayerNetwork} or {@code ComputationGraph}
 * @param dataType  the network's data type
 * @param numParams the number of parameters of the network the configuration builds
 * @param groups    every parameter group of every layer, in layer and parameter-table order
 * @param entries   the digest of each other entry written, by name; always lists the configuration, lists the stored
 *                  parameters and the updater state exactly when they were written; empty in version 1
 */
record Manifest(int version, String network, DataType dataType, long numParams, List<StoredGroup> groups,
                Map<String, EntryDigest> entries) {

    static final Set<String> NETWORKS = Set.of("MultiLayerNetwork", "ComputationGraph");
    private static final Set<String> ENTRIES = Set.of(CompactModelFile.CONFIGURATION, CompactModelFile.PARAMETERS,
            CompactModelFile.UPDATER);
    private static final int MAX_RANK = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    Manifest {
        groups = List.copyOf(groups);
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** The manifest as the writer stores it: pretty-printed JSON in UTF-8. */
    byte[] toJson() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", CompactModelFile.FORMAT);
        root.put("version", version);
        root.put("network", network);
        root.put("dataType", dataType.name());
        root.put("numParams", numParams);
        ArrayNode list = root.putArray("groups");
        for (StoredGroup g : groups) {
            ObjectNode node = list.addObject();
            node.put("layer", g.layer());
            node.put("key", g.key());
            ArrayNode shape = node.putArray("shape");
            for (long s : g.shape()) {
                shape.add(s);
            }
            if (g.regenerated()) {
                node.put("generator", g.generator());
                node.put("seed", g.seed());
            }
            node.put("sha256", g.sha256());
        }
        ObjectNode written = root.putObject("entries");
        entries.forEach((name, digest) -> written.putObject(name).put("bytes", digest.bytes())
                .put("sha256", digest.sha256()));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /**
     * The manifest of {@code file} from its bytes.
     *
     * @throws CompactModelException naming the file, the entry and the field whose form is wrong
     */
    static Manifest parse(Path file, byte[] bytes) {
        Fields f = new Fields(file);
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException | RuntimeException | StackOverflowError e) {   // the last: nesting too deep
            throw new CompactModelException(file + ": entry " + CompactModelFile.MANIFEST + ": "
                    + CompactModelFile.MANIFEST + " is not JSON (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw f.wrong("the manifest", String.valueOf(root), "a JSON object");
        }
        String format = root.path("format").asText();
        JsonNode versionNode = root.path("version");
        int version = versionNode.isIntegralNumber() ? versionNode.asInt() : -1;
        if (!CompactModelFile.FORMAT.equals(format) || version < 1 || version > CompactModelFile.VERSION) {
            throw f.wrong("format, version", format + " " + versionNode, CompactModelFile.FORMAT + " version 1 to "
                    + CompactModelFile.VERSION);
        }
        String network = root.path("network").asText();
        if (!NETWORKS.contains(network)) {
            throw f.wrong("network", network, "one of " + NETWORKS);
        }
        DataType dataType = dataType(f, root.path("dataType").asText());
        long numParams = f.size("numParams", root.path("numParams"));
        List<StoredGroup> groups = new ArrayList<>();
        JsonNode groupNodes = root.path("groups");
        if (!groupNodes.isArray()) {
            throw f.wrong("groups", String.valueOf(groupNodes), "an array");
        }
        for (JsonNode g : groupNodes) {
            groups.add(group(f, g));
        }
        Map<String, EntryDigest> entries = new LinkedHashMap<>();
        if (version >= 2) {
            JsonNode entryNodes = root.path("entries");
            if (!entryNodes.isObject() || !entryNodes.has(CompactModelFile.CONFIGURATION)) {
                throw f.wrong("entries", String.valueOf(entryNodes), "an object listing at least "
                        + CompactModelFile.CONFIGURATION);
            }
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) entryNodes::fields) {
                if (!ENTRIES.contains(e.getKey())) {
                    throw f.wrong("entries", e.getKey(), "one of " + ENTRIES);
                }
                entries.put(e.getKey(), new EntryDigest(f.size("entries." + e.getKey() + ".bytes",
                        e.getValue().path("bytes")), f.sha256("entries." + e.getKey() + ".sha256",
                        e.getValue().path("sha256"))));
            }
        }
        return new Manifest(version, network, dataType, numParams, groups, entries);
    }

    private static StoredGroup group(Fields f, JsonNode g) {
        if (!g.isObject() || !g.path("layer").isTextual() || !g.path("key").isTextual()) {
            throw f.wrong("group", String.valueOf(g), "an object with a layer and a key");
        }
        String where = "group " + g.get("layer").asText() + "/" + g.get("key").asText() + " ";
        JsonNode shapeNode = g.path("shape");
        if (!shapeNode.isArray() || shapeNode.size() > MAX_RANK) {
            throw f.wrong(where + "shape", String.valueOf(shapeNode), "an array of at most " + MAX_RANK + " sizes");
        }
        long[] shape = new long[shapeNode.size()];
        long length = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = f.size(where + "shape", shapeNode.get(i));
            if (shape[i] > 0 && length > Long.MAX_VALUE / shape[i]) {
                throw f.wrong(where + "shape", shapeNode.toString(), "sizes whose product is a length");
            }
            length *= shape[i];
        }
        boolean seeded = g.hasNonNull("seed");
        if (seeded && (!g.get("seed").isIntegralNumber() || !g.get("seed").canConvertToLong()
                || !g.path("generator").isTextual())) {
            throw f.wrong(where + "seed, generator", g.get("seed") + ", " + g.get("generator"),
                    "an integer seed and a generator id");
        }
        return new StoredGroup(g.get("layer").asText(), g.get("key").asText(), shape,
                seeded ? g.get("generator").asText() : null, seeded ? g.get("seed").asLong() : null,
                f.sha256(where + "sha256", g.path("sha256")));
    }

    private static DataType dataType(Fields f, String name) {
        try {
            DataType type = DataType.valueOf(name);
            if (type.isFPType()) {
                return type;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new CompactModelException(f.file + ": entry " + CompactModelFile.MANIFEST + ": manifest dataType \""
                + name + "\"; expected one of ND4J's floating-point data types (FLOAT, DOUBLE, HALF, BFLOAT16)");
    }

    /** Field checks that name the file and the manifest entry. */
    private record Fields(Path file) {

        CompactModelException wrong(String field, String value, String expected) {
            return CompactModelException.in(file, CompactModelFile.MANIFEST, field + " = " + value + "; expected "
                    + expected);
        }

        long size(String field, JsonNode node) {
            if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
                throw wrong(field, String.valueOf(node), "a non-negative integer");
            }
            return node.asLong();
        }

        String sha256(String field, JsonNode node) {
            if (!node.isTextual() || !EntryDigest.isSha256(node.asText())) {
                throw wrong(field, String.valueOf(node), "a SHA-256 of 64 lower-case hex digits");
            }
            return node.asText();
        }
    }
}
