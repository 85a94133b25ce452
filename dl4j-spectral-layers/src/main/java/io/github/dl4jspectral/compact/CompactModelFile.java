package io.github.dl4jspectral.compact;

import io.github.dl4jspectral.blocks.SeededDraws;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.files.AtomicWrite;
import io.github.dl4jspectral.params.SpectralParamInitializer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Writes and reads compact model files: a zip like DL4J's {@code ModelSerializer} writes, but where each frozen random
 * group of a spectral layer (phi of the EIGENVALUES presets, the fixed factors of the SVD block, ...) is stored as the
 * layer's initialization seed, the generator's id and a checksum instead of its values. The file grows with the trained
 * numbers, not with the weights: an EIGENVALUES 784-500-10 network takes kilobytes instead of 1.5 MB.
 *
 * <p>Entries: {@value #MANIFEST} (format, version, network type, data type, number of parameters, and one
 * {@link StoredGroup} per parameter group of every layer, in layer and parameter-table order),
 * {@value #CONFIGURATION} (the network's configuration JSON, with every spectral layer's
 * {@link io.github.dl4jspectral.conf.SpectralSettings#getInitSeed() initSeed}), {@value #PARAMETERS} (the values of
 * the groups stored in full, concatenated in row-major order, written by {@code Nd4j.write}) and, if asked for,
 * {@value #UPDATER} (the updater's state view, as {@code ModelSerializer} stores it).
 *
 * <p>A group is stored as a seed only when it is frozen, its layer draws its initial values portably
 * ({@link SpectralParamInitializer#drawsPortably}), and regenerating the layer's initial values from the seed gives
 * exactly its current values (checksums equal); everything else is stored in full: trained groups, the groups of
 * plain DL4J layers, and a frozen group that changed after initialization (phi retrained by pruning's pre-processing,
 * {@code setParam}, a layer sliced by pruning). Every group carries a SHA-256 of its values: the reader regenerates or
 * reads each group, compares the checksums and throws {@link CompactModelException} on any difference, so a loaded
 * network holds exactly the saved numbers or is not loaded at all.
 *
 * <p>Works for {@link MultiLayerNetwork} and {@link ComputationGraph}, with native, SameDiff and plain DL4J layers.
 * DL4J's {@code ModelSerializer} is untouched and keeps reading and writing its own format.
 */
public final class CompactModelFile {

    /** The zip entry holding the manifest; its presence tells a compact file from a ModelSerializer zip. */
    public static final String MANIFEST = "compact.json";
    static final String CONFIGURATION = "configuration.json";
    static final String PARAMETERS = "parameters.bin";
    static final String UPDATER = "updaterState.bin";
    static final String FORMAT = "dl4j-spectral-compact";
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private CompactModelFile() {
    }

    /**
     * Writes {@code model} to {@code file} atomically: to a temporary file beside it, then renamed over it, so a failed
     * write leaves what was there.
     *
     * @param saveUpdater whether to store the updater state (needed to continue training exactly)
     */
    public static void write(Model model, Path file, boolean saveUpdater) throws IOException {
        AtomicWrite.write(file, out -> write(model, out, saveUpdater));
    }

    /** Writes {@code model} to {@code out} (not closed) as a compact model file. */
    public static void write(Model model, OutputStream out, boolean saveUpdater) throws IOException {
        DataType type = model.params().dataType();
        List<StoredGroup> groups = new ArrayList<>();
        List<INDArray> full = new ArrayList<>();
        for (Map.Entry<String, Layer> entry : layers(model).entrySet()) {
            Layer layer = entry.getValue();
            boolean anyFrozen = layer.paramTable().keySet().stream().anyMatch(key -> frozen(layer, key));
            Map<String, INDArray> regenerated = anyFrozen && regenerable(layer) ? regenerate(spectral(layer), type)
                    : Map.of();
            for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                INDArray values = param.getValue();
                String sha256 = GroupChecksum.of(values);
                INDArray fresh = frozen(layer, param.getKey()) ? regenerated.get(param.getKey()) : null;
                if (fresh != null && GroupChecksum.of(fresh).equals(sha256)) {
                    groups.add(new StoredGroup(entry.getKey(), param.getKey(), values.shape(), SeededDraws.GENERATOR,
                            spectral(layer).getSpectral().getInitSeed(), sha256));
                } else {
                    groups.add(new StoredGroup(entry.getKey(), param.getKey(), values.shape(), null, null, sha256));
                    full.add(values);
                }
            }
        }
        INDArray updaterState = saveUpdater ? updaterState(model) : null;

        ZipOutputStream zip = new ZipOutputStream(new NonClosing(out));
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(manifest(model, type, groups).getBytes(StandardCharsets.UTF_8));
        zip.putNextEntry(new ZipEntry(CONFIGURATION));
        zip.write(configurationJson(model).getBytes(StandardCharsets.UTF_8));
        if (!full.isEmpty()) {
            writeArray(zip, PARAMETERS, Nd4j.toFlattened('c', full));
        }
        if (updaterState != null && updaterState.length() > 0) {
            writeArray(zip, UPDATER, updaterState);
        }
        zip.finish();
    }

    /**
     * Reads a compact model file of a {@link MultiLayerNetwork}.
     *
     * @throws CompactModelException if the file is not a compact model file of a MultiLayerNetwork, or any group
     *                               differs from its checksum
     */
    public static MultiLayerNetwork readMultiLayerNetwork(Path file) throws IOException {
        return read(file, MultiLayerNetwork.class);
    }

    /** Reads a compact model file of a {@link ComputationGraph}; as {@link #readMultiLayerNetwork}. */
    public static ComputationGraph readComputationGraph(Path file) throws IOException {
        return read(file, ComputationGraph.class);
    }

    /** Whether {@code file} is a zip with a {@value #MANIFEST} entry (a compact model file), without reading it all. */
    public static boolean isCompact(Path file) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (MANIFEST.equals(e.getName())) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The groups of a compact model file and how each is stored, from its manifest. */
    public static List<StoredGroup> contents(Path file) throws IOException {
        return groups(file, manifest(file, entries(file)));
    }

    private static <M extends Model> M read(Path file, Class<M> expected) throws IOException {
        Map<String, byte[]> entries = entries(file);
        JsonNode manifest = manifest(file, entries);
        String network = manifest.path("network").asText();
        if (!expected.getSimpleName().equals(network)) {
            throw new CompactModelException(file + ": holds a " + network + "; expected a " + expected.getSimpleName());
        }
        byte[] json = require(file, entries, CONFIGURATION);
        DataType type = dataType(file, manifest.path("dataType").asText());
        INDArray flat = Nd4j.create(type, 1, manifest.path("numParams").asLong());
        Model model;
        try {
            String configuration = new String(json, StandardCharsets.UTF_8);
            if (expected == MultiLayerNetwork.class) {
                MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration));
                net.init(flat, false);
                model = net;
            } else {
                ComputationGraph graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(configuration));
                graph.init(flat, false);
                model = graph;
            }
        } catch (RuntimeException e) {
            throw new CompactModelException(file + ": the configuration cannot be instantiated with "
                    + manifest.path("numParams").asLong() + " parameters (" + e.getMessage() + ")", e);
        }
        restoreParameters(file, model, groups(file, manifest), entries.get(PARAMETERS), type);
        byte[] updater = entries.get(UPDATER);
        if (updater != null) {
            INDArray state = readArray(file, UPDATER, updater);
            try {
                if (model instanceof MultiLayerNetwork net) {
                    net.getUpdater().setStateViewArray(net, state, false);
                } else {
                    ((ComputationGraph) model).getUpdater().setStateViewArray(state);
                }
            } catch (RuntimeException e) {
                throw new CompactModelException(file + ": updater state of length " + state.length()
                        + " does not fit the network's updater (" + e.getMessage() + ")", e);
            }
        }
        return expected.cast(model);
    }

    /**
     * Sets every group of {@code model} from the file: regenerated from its layer's seed or taken from the stored
     * values, each checked against its checksum; every group of the network must be in the manifest exactly once.
     */
    private static void restoreParameters(Path file, Model model, List<StoredGroup> groups, byte[] parameters,
                                          DataType type) throws IOException {
        Map<String, Layer> layers = layers(model);
        INDArray stored = parameters == null ? null : readArray(file, PARAMETERS, parameters).reshape(-1);
        long offset = 0;
        Map<String, Map<String, INDArray>> regenerated = new HashMap<>();
        Set<String> restored = new LinkedHashSet<>();
        for (StoredGroup group : groups) {
            Layer layer = layers.get(group.layer());
            INDArray target = layer == null ? null : layer.paramTable().get(group.key());
            if (target == null || !java.util.Arrays.equals(target.shape(), group.shape())) {
                throw new CompactModelException(file + ": " + group.describe() + " is not a parameter of the network "
                        + "its configuration builds (" + (target == null ? "no such group" : "shape "
                        + java.util.Arrays.toString(target.shape())) + "); expected the configuration and manifest of "
                        + "one network");
            }
            INDArray values;
            if (group.regenerated()) {
                values = regenerated.computeIfAbsent(group.layer(), id -> regenerate(file, layer, group, type))
                        .get(group.key());
            } else {
                if (stored == null || offset + group.length() > stored.length()) {
                    throw new CompactModelException(file + ": " + group.describe() + " is stored in full, but "
                            + PARAMETERS + " holds " + (stored == null ? 0 : stored.length()) + " values; expected at "
                            + "least " + (offset + group.length()));
                }
                values = stored.get(NDArrayIndex.interval(offset, offset + group.length())).reshape('c', group.shape());
                offset += group.length();
            }
            String sha256 = GroupChecksum.of(values.castTo(type));
            if (!sha256.equals(group.sha256())) {
                throw new CompactModelException(file + ": " + group.describe() + (group.regenerated()
                        ? " regenerated from seed " + group.seed() + " (" + group.generator() + ") does not match the "
                        + "saved values"
                        : " stored in full does not match its checksum (the file is corrupt)") + ": sha256 " + sha256
                        + "; expected " + group.sha256());
            }
            target.assign(values);
            restored.add(group.layer() + "/" + group.key());
        }
        if (stored != null && offset != stored.length()) {
            throw new CompactModelException(file + ": " + PARAMETERS + " holds " + stored.length() + " values; the "
                    + "manifest's full groups take " + offset);
        }
        for (Map.Entry<String, Layer> layer : layers.entrySet()) {
            for (String key : layer.getValue().paramTable().keySet()) {
                if (!restored.contains(layer.getKey() + "/" + key)) {
                    throw new CompactModelException(file + ": layer " + layer.getKey() + ", group " + key
                            + " is missing from the manifest; expected every parameter group of the network");
                }
            }
        }
    }

    /** The regenerated groups of a layer whose manifest names a seed, after checking it is that layer's seed. */
    private static Map<String, INDArray> regenerate(Path file, Layer layer, StoredGroup group, DataType type) {
        if (!(layer.conf().getLayer() instanceof SpectralLayerConfig spectral)) {
            throw new CompactModelException(file + ": " + group.describe() + " is stored as a seed, but the layer is a "
                    + layer.conf().getLayer().getClass().getSimpleName() + "; expected a spectral layer");
        }
        if (!SeededDraws.GENERATOR.equals(group.generator())) {
            throw new CompactModelException(file + ": " + group.describe() + " was drawn by generator "
                    + group.generator() + "; expected " + SeededDraws.GENERATOR + ", the only one this version has");
        }
        Long seed = spectral.getSpectral().getInitSeed();
        if (!group.seed().equals(seed)) {
            throw new CompactModelException(file + ": " + group.describe() + " has seed " + group.seed()
                    + " in the manifest; expected the seed of the layer's configuration, " + seed);
        }
        if (!SpectralParamInitializer.drawsPortably(spectral)) {
            throw new CompactModelException(file + ": " + group.describe() + " is stored as a seed, but "
                    + spectral.describe() + " does not draw its initial values portably; expected it stored in full");
        }
        return regenerate(spectral, type);
    }

    /** The layer's initial values, drawn again from its configuration (and seed) into new arrays of {@code type}. */
    private static Map<String, INDArray> regenerate(SpectralLayerConfig spectral, DataType type) {
        Map<String, INDArray> fresh = new LinkedHashMap<>();
        for (SpectralParam group : SpectralParamInitializer.groups(spectral)) {
            fresh.put(group.key(), Nd4j.create(type, SpectralParamInitializer.shape(spectral, group), 'f'));
        }
        SpectralParamInitializer.initialize(spectral, fresh);
        return fresh;
    }

    private static boolean regenerable(Layer layer) {
        return layer.conf().getLayer() instanceof SpectralLayerConfig spectral
                && SpectralParamInitializer.drawsPortably(spectral);
    }

    private static SpectralLayerConfig spectral(Layer layer) {
        return (SpectralLayerConfig) layer.conf().getLayer();
    }

    /** Whether {@code key} is a frozen group of a spectral layer. */
    private static boolean frozen(Layer layer, String key) {
        return layer.conf().getLayer() instanceof SpectralLayerConfig spectral
                && SpectralParam.forKey(key).isPresent() && !spectral.getSpectral().trains(key);
    }

    /** The network's layers by id: the index in a MultiLayerNetwork, the vertex name in a ComputationGraph. */
    private static Map<String, Layer> layers(Model model) {
        Map<String, Layer> layers = new LinkedHashMap<>();
        if (model instanceof MultiLayerNetwork net) {
            for (int i = 0; i < net.getnLayers(); i++) {
                layers.put(String.valueOf(i), net.getLayer(i));
            }
        } else if (model instanceof ComputationGraph graph) {
            for (Layer layer : graph.getLayers()) {
                layers.put(layer.conf().getLayer().getLayerName(), layer);
            }
        } else {
            throw new IllegalArgumentException("CompactModelFile: model is a " + model.getClass().getSimpleName()
                    + "; expected a MultiLayerNetwork or ComputationGraph");
        }
        return layers;
    }

    private static String configurationJson(Model model) {
        return model instanceof MultiLayerNetwork net ? net.getLayerWiseConfigurations().toJson()
                : ((ComputationGraph) model).getConfiguration().toJson();
    }

    private static INDArray updaterState(Model model) {
        return model instanceof MultiLayerNetwork net ? net.getUpdater().getStateViewArray()
                : ((ComputationGraph) model).getUpdater().getStateViewArray();
    }

    private static String manifest(Model model, DataType type, List<StoredGroup> groups) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("network", model instanceof MultiLayerNetwork ? "MultiLayerNetwork" : "ComputationGraph");
        root.put("dataType", type.name());
        root.put("numParams", model.numParams());
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
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static JsonNode manifest(Path file, Map<String, byte[]> entries) throws IOException {
        byte[] bytes = entries.get(MANIFEST);
        if (bytes == null) {
            throw new CompactModelException(file + ": no " + MANIFEST + " entry; expected a compact model file "
                    + "(a ModelSerializer zip is read by ModelSerializer)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new CompactModelException(file + ": " + MANIFEST + " is not JSON (" + e.getMessage() + ")", e);
        }
        if (!FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != VERSION) {
            throw new CompactModelException(file + ": format " + root.path("format").asText() + " version "
                    + root.path("version").asText() + "; expected " + FORMAT + " version " + VERSION);
        }
        return root;
    }

    private static List<StoredGroup> groups(Path file, JsonNode manifest) throws CompactModelException {
        List<StoredGroup> groups = new ArrayList<>();
        for (JsonNode g : manifest.path("groups")) {
            long[] shape = new long[g.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = g.path("shape").get(i).asLong();
            }
            if (!g.hasNonNull("layer") || !g.hasNonNull("key") || !g.hasNonNull("sha256")) {
                throw new CompactModelException(file + ": manifest group " + g + " lacks layer, key or sha256");
            }
            groups.add(new StoredGroup(g.get("layer").asText(), g.get("key").asText(), shape,
                    g.hasNonNull("seed") ? g.path("generator").asText() : null,
                    g.hasNonNull("seed") ? g.get("seed").asLong() : null, g.get("sha256").asText()));
        }
        return groups;
    }

    private static byte[] require(Path file, Map<String, byte[]> entries, String name) throws CompactModelException {
        byte[] bytes = entries.get(name);
        if (bytes == null) {
            throw new CompactModelException(file + ": no " + name + " entry; expected one in every compact model file");
        }
        return bytes;
    }

    private static Map<String, byte[]> entries(Path file) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (java.util.zip.ZipException e) {
            throw new CompactModelException(file + ": not a readable zip (" + e.getMessage() + ")", e);
        }
        return entries;
    }

    private static void writeArray(ZipOutputStream zip, String name, INDArray array) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        DataOutputStream data = new DataOutputStream(new NonClosing(zip));
        Nd4j.write(array, data);
        data.flush();
    }

    private static INDArray readArray(Path file, String name, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return Nd4j.read(in);
        } catch (IOException | RuntimeException e) {
            throw new CompactModelException(file + ": entry " + name + " is not an ND4J array (" + e.getMessage()
                    + "); expected the array Nd4j.write wrote", e);
        }
    }

    private static DataType dataType(Path file, String name) {
        try {
            return DataType.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new CompactModelException(file + ": manifest dataType \"" + name + "\"; expected one of ND4J's "
                    + "data types (FLOAT, DOUBLE, ...)", e);
        }
    }

    /** Passes writes through and ignores close(), so that closing a wrapper does not close the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
