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
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes and reads compact model files: a zip like DL4J's {@code ModelSerializer} writes, but where each frozen random
 * group of a spectral layer (phi of the EIGENVALUES presets, the fixed factors of the SVD block, ...) is stored as the
 * layer's initialization seed, the generator's id and a checksum instead of its values. The file grows with the trained
 * numbers, not with the weights: an EIGENVALUES 784-500-10 network takes kilobytes instead of 1.5 MB.
 *
 * <p>Entries: {@value #MANIFEST} (format, version, network type, data type, number of parameters, one
 * {@link StoredGroup} per parameter group of every layer in layer and parameter-table order, and the length and
 * SHA-256 of every other entry written), {@value #MANIFEST_DIGEST} (the SHA-256 of the manifest's bytes, 64 hex
 * digits), {@value #CONFIGURATION} (the network's configuration JSON, with every spectral layer's
 * {@link io.github.dl4jspectral.conf.SpectralSettings#getInitSeed() initSeed}), {@value #PARAMETERS} (the values of
 * the groups stored in full, concatenated in row-major order, as {@code Nd4j.write} writes a vector; present exactly
 * when some group is stored in full) and, if asked for, {@value #UPDATER} (the updater's state view, as
 * {@code Nd4j.write} writes it). The manifest lists the updater state exactly when it was written.
 *
 * <p>A group is stored as a seed only when it is frozen, its layer draws its initial values portably
 * ({@link SpectralParamInitializer#drawsPortably}), and regenerating the layer's initial values from the seed gives
 * exactly its current values (checksums equal); everything else is stored in full: trained groups, the groups of
 * plain DL4J layers, and a frozen group that changed after initialization (phi retrained by pruning's pre-processing,
 * {@code setParam}, a layer sliced by pruning).
 *
 * <p>Reading guarantees: a read returns a network whose configuration, parameters and updater state are exactly those
 * written, or throws {@link CompactModelException} naming the file and the entry (I/O errors of the file system, a
 * missing or unreadable file, stay {@code IOException}s). To that end the reader
 * <ul>
 *   <li>finds entries through the zip's central directory and reads only the entries named above, each bounded by a
 *       cap derived from the manifest and the configuration (the manifest itself by {@value #MANIFEST_CAP} bytes, the
 *       configuration by {@value #CONFIGURATION_CAP}); other entries are never read, an entry larger than its cap is
 *       refused, and every entry read must match the central directory's length and CRC-32;</li>
 *   <li>checks the manifest against {@value #MANIFEST_DIGEST} and every other entry against the length and SHA-256
 *       the manifest records, before interpreting it; an entry the manifest lists but the zip lacks (the updater
 *       state of a file written with it) is an error, as is an entry the zip holds but the manifest does not list;</li>
 *   <li>checks every size before allocating: the manifest's numParams and data type must equal what the
 *       configuration determines, every group must be a parameter of the network the configuration builds, with its
 *       shape, exactly once, and each array entry's headers (shape, strides, element-wise stride, data type, lengths)
 *       must describe a contiguous vector of exactly the values expected and exactly the bytes present, before ND4J
 *       reads it;</li>
 *   <li>compares every group, regenerated or read, with its SHA-256.</li>
 * </ul>
 * Files of version 1 (written before entries had digests) are read with every check above except the two digests of
 * the second item: their group checksums, the central directory's CRC-32s and all structural checks still apply, so
 * corruption of the zip's bytes is detected; a rewritten entry with valid CRC-32s, or an updater state removed from
 * the central directory, is not detectable in them. Only DL4J's allocation of the network the configuration describes
 * happens before the groups are read.
 *
 * <p>Works for {@link MultiLayerNetwork} and {@link ComputationGraph}, with native, SameDiff and plain DL4J layers.
 * DL4J's {@code ModelSerializer} is untouched and keeps reading and writing its own format.
 */
public final class CompactModelFile {

    /** The zip entry holding the manifest; its presence tells a compact file from a ModelSerializer zip. */
    public static final String MANIFEST = "compact.json";
    static final String MANIFEST_DIGEST = "compact.json.sha256";
    static final String CONFIGURATION = "configuration.json";
    static final String PARAMETERS = "parameters.bin";
    static final String UPDATER = "updaterState.bin";
    static final String FORMAT = "dl4j-spectral-compact";
    static final int VERSION = 2;
    /** The most bytes a manifest may take (about 30,000 parameter groups). */
    static final long MANIFEST_CAP = 8L << 20;
    /** The most bytes a configuration may take. */
    static final long CONFIGURATION_CAP = 64L << 20;

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

        Map<String, byte[]> contents = new LinkedHashMap<>();
        contents.put(CONFIGURATION, configurationJson(model).getBytes(StandardCharsets.UTF_8));
        if (!full.isEmpty()) {
            contents.put(PARAMETERS, ArrayEntry.bytes(Nd4j.toFlattened('c', full)));
        }
        if (updaterState != null && updaterState.length() > 0) {
            contents.put(UPDATER, ArrayEntry.bytes(updaterState));
        }
        Map<String, EntryDigest> digests = new LinkedHashMap<>();
        contents.forEach((name, bytes) -> digests.put(name, EntryDigest.of(bytes)));
        byte[] manifest = new Manifest(VERSION, networkType(model), type, model.numParams(), groups, digests).toJson();

        ZipOutputStream zip = new ZipOutputStream(new NonClosing(out));
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(manifest);
        for (Map.Entry<String, byte[]> entry : contents.entrySet()) {
            zip.putNextEntry(new ZipEntry(entry.getKey()));
            zip.write(entry.getValue());
        }
        zip.putNextEntry(new ZipEntry(MANIFEST_DIGEST));
        zip.write(EntryDigest.sha256(manifest).getBytes(StandardCharsets.US_ASCII));
        zip.finish();
    }

    /**
     * Reads a compact model file of a {@link MultiLayerNetwork}: exactly the configuration, parameters and updater
     * state written, or an exception (see the class description for what is checked).
     *
     * @throws CompactModelException naming the file and the entry, if the file is not a compact model file of a
     *                               MultiLayerNetwork or differs in any checked way from what was written
     * @throws IOException           if the file cannot be opened
     */
    public static MultiLayerNetwork readMultiLayerNetwork(Path file) throws IOException {
        return read(file, MultiLayerNetwork.class);
    }

    /** Reads a compact model file of a {@link ComputationGraph}; as {@link #readMultiLayerNetwork}. */
    public static ComputationGraph readComputationGraph(Path file) throws IOException {
        return read(file, ComputationGraph.class);
    }

    /**
     * Whether {@code file} is a readable zip whose central directory lists a {@value #MANIFEST} entry of at most
     * {@value #MANIFEST_CAP} bytes (a compact model file rather than a ModelSerializer zip). Reads the central
     * directory only, no entry; false for a file that is not a readable zip.
     *
     * @throws IOException if the file cannot be opened
     */
    public static boolean isCompact(Path file) throws IOException {
        return CompactZip.holds(file, MANIFEST, MANIFEST_CAP);
    }

    /**
     * The groups of a compact model file and how each is stored, from its manifest (checked against its digest).
     *
     * @throws CompactModelException naming the file and the entry, if the manifest cannot be read intact
     */
    public static List<StoredGroup> contents(Path file) throws IOException {
        try (CompactZip zip = CompactZip.open(file)) {
            return manifest(file, zip).groups();
        }
    }

    private static <M extends Model> M read(Path file, Class<M> expected) throws IOException {
        try (CompactZip zip = CompactZip.open(file)) {
            Manifest manifest = manifest(file, zip);
            if (!expected.getSimpleName().equals(manifest.network())) {
                throw new CompactModelException(file + ": holds a " + manifest.network() + "; expected a "
                        + expected.getSimpleName());
            }
            checkEntryNames(file, zip, manifest);
            String configuration = new String(entry(file, zip, manifest, CONFIGURATION, CONFIGURATION_CAP),
                    StandardCharsets.UTF_8);
            Model model = instantiate(file, expected, configuration, manifest);
            restoreParameters(file, zip, model, manifest);
            restoreUpdater(file, zip, model, manifest);
            return expected.cast(model);
        } catch (CompactModelException e) {
            throw e;
        } catch (RuntimeException e) {
            // a safety net: every check above names its entry; nothing else is expected to fail
            throw new CompactModelException(file + ": cannot be read (" + e + ")", e);
        }
    }

    /**
     * From version 2 on, the stored parameters and updater state must be in the zip exactly when the manifest lists
     * them (other entries are ignored); in version 1, which has no list, the zip may hold no entry the writer did not
     * write, so that an entry whose name was damaged is not taken for an absent one.
     */
    private static void checkEntryNames(Path file, CompactZip zip, Manifest manifest) {
        if (manifest.version() >= 2) {
            for (String name : List.of(PARAMETERS, UPDATER)) {
                if (zip.contains(name) && !manifest.entries().containsKey(name)) {
                    throw CompactModelException.in(file, name, "present, but the manifest does not list it; "
                            + "expected only the entries the manifest lists");
                }
            }
        } else {
            Set<String> known = Set.of(MANIFEST, CONFIGURATION, PARAMETERS, UPDATER);
            for (String name : zip.names()) {
                if (!known.contains(name)) {
                    throw CompactModelException.in(file, name, "unknown in a file of version 1; expected only "
                            + known);
                }
            }
        }
    }

    /** The manifest of {@code file}, checked against its digest entry (required from version 2 on). */
    private static Manifest manifest(Path file, CompactZip zip) {
        if (!zip.contains(MANIFEST)) {
            throw new CompactModelException(file + ": no " + MANIFEST + " entry; expected a compact model file "
                    + "(a ModelSerializer zip is read by ModelSerializer)");
        }
        byte[] bytes = zip.read(MANIFEST, MANIFEST_CAP);
        boolean digested = zip.contains(MANIFEST_DIGEST);
        if (digested) {
            String recorded = new String(zip.read(MANIFEST_DIGEST, 64), StandardCharsets.US_ASCII);
            String actual = EntryDigest.sha256(bytes);
            if (!actual.equals(recorded)) {
                throw CompactModelException.in(file, MANIFEST, "sha256 = " + actual + "; expected " + recorded
                        + ", as " + MANIFEST_DIGEST + " records (the manifest is corrupt)");
            }
        }
        Manifest manifest = Manifest.parse(file, bytes);
        if (manifest.version() >= 2 && !digested) {
            throw CompactModelException.in(file, MANIFEST_DIGEST, "missing; expected one in every file of version "
                    + manifest.version());
        }
        return manifest;
    }

    /**
     * The bytes of entry {@code name}: at most {@code cap} bytes, and from version 2 on exactly the length and SHA-256
     * the manifest lists (an entry the manifest lists but the zip lacks is an error).
     */
    private static byte[] entry(Path file, CompactZip zip, Manifest manifest, String name, long cap) {
        EntryDigest digest = manifest.entries().get(name);
        if (manifest.version() < 2) {
            return zip.read(name, cap);
        }
        if (digest == null) {
            throw CompactModelException.in(file, name, "not listed in the manifest; expected it listed");
        }
        if (digest.bytes() > cap) {
            throw CompactModelException.in(file, MANIFEST, "entries." + name + ".bytes = " + digest.bytes()
                    + "; expected at most " + cap);
        }
        if (!zip.contains(name)) {
            throw CompactModelException.in(file, name, "missing; expected one of " + digest.bytes() + " bytes, as "
                    + "the manifest records");
        }
        byte[] bytes = zip.read(name, digest.bytes());
        digest.verify(file, name, bytes);
        return bytes;
    }

    /**
     * The network {@code configuration} builds, with parameters still to be set: its data type and number of
     * parameters are checked against the manifest before anything is allocated.
     */
    private static Model instantiate(Path file, Class<? extends Model> expected, String configuration,
                                     Manifest manifest) {
        MultiLayerConfiguration mlc = null;
        ComputationGraphConfiguration cgc = null;
        DataType type;
        long numParams = 0;
        try {
            if (expected == MultiLayerNetwork.class) {
                mlc = MultiLayerConfiguration.fromJson(configuration);
                type = mlc.getDataType();
                for (NeuralNetConfiguration layer : mlc.getConfs()) {
                    numParams = Math.addExact(numParams, layer.getLayer().initializer().numParams(layer));
                }
            } else {
                cgc = ComputationGraphConfiguration.fromJson(configuration);
                type = cgc.getDataType();
                for (GraphVertex vertex : cgc.getVertices().values()) {
                    numParams = Math.addExact(numParams, vertex.numParams(true));
                }
            }
        } catch (RuntimeException | StackOverflowError e) {   // the last: JSON nested too deep
            throw CompactModelException.in(file, CONFIGURATION, "not a " + expected.getSimpleName()
                    + " configuration", e);
        }
        if (type != manifest.dataType()) {
            throw CompactModelException.in(file, MANIFEST, "dataType = " + manifest.dataType() + "; expected "
                    + type + ", the configuration's");
        }
        if (numParams != manifest.numParams()) {
            throw CompactModelException.in(file, MANIFEST, "numParams = " + manifest.numParams() + "; expected "
                    + numParams + ", the number the configuration determines");
        }
        try {
            INDArray flat = Nd4j.create(type, 1, numParams);
            if (mlc != null) {
                MultiLayerNetwork net = new MultiLayerNetwork(mlc);
                net.init(flat, false);
                return net;
            }
            ComputationGraph graph = new ComputationGraph(cgc);
            graph.init(flat, false);
            return graph;
        } catch (RuntimeException e) {
            throw CompactModelException.in(file, CONFIGURATION, "cannot be instantiated with " + numParams
                    + " parameters", e);
        }
    }

    /**
     * Sets every group of {@code model} from the file: regenerated from its layer's seed or taken from the stored
     * values, each checked against its checksum. Every group of the network must be in the manifest exactly once, with
     * its shape, before {@value #PARAMETERS} is read (its cap follows from the groups stored in full).
     */
    private static void restoreParameters(Path file, CompactZip zip, Model model, Manifest manifest) {
        Map<String, Layer> layers = layers(model);
        DataType type = manifest.dataType();
        Set<String> listed = new LinkedHashSet<>();
        long fullValues = 0;
        for (StoredGroup group : manifest.groups()) {
            Layer layer = layers.get(group.layer());
            INDArray target = layer == null ? null : layer.paramTable().get(group.key());
            if (target == null || !java.util.Arrays.equals(target.shape(), group.shape())) {
                throw new CompactModelException(file + ": " + group.describe() + " is not a parameter of the network "
                        + "its configuration builds (" + (target == null ? "no such group" : "shape "
                        + java.util.Arrays.toString(target.shape())) + "); expected the configuration and manifest of "
                        + "one network");
            }
            if (!listed.add(group.layer() + "/" + group.key())) {
                throw CompactModelException.in(file, MANIFEST, group.describe() + " is listed twice; expected once");
            }
            fullValues += group.regenerated() ? 0 : group.length();
        }
        for (Map.Entry<String, Layer> layer : layers.entrySet()) {
            for (String key : layer.getValue().paramTable().keySet()) {
                if (!listed.contains(layer.getKey() + "/" + key)) {
                    throw new CompactModelException(file + ": layer " + layer.getKey() + ", group " + key
                            + " is missing from the manifest; expected every parameter group of the network");
                }
            }
        }
        INDArray stored = null;
        if (fullValues > 0) {
            if (!zip.contains(PARAMETERS)) {
                throw CompactModelException.in(file, PARAMETERS, "missing; expected the " + fullValues + " values of "
                        + "the groups stored in full");
            }
            byte[] bytes = entry(file, zip, manifest, PARAMETERS, ArrayEntry.cap(fullValues, type));
            stored = ArrayEntry.read(file, PARAMETERS, bytes, type, fullValues).reshape(-1);
        } else if (zip.contains(PARAMETERS) || manifest.entries().containsKey(PARAMETERS)) {
            throw CompactModelException.in(file, PARAMETERS, "present; expected none, as every group is regenerated "
                    + "from its seed");
        }
        long offset = 0;
        Map<String, Map<String, INDArray>> regenerated = new HashMap<>();
        for (StoredGroup group : manifest.groups()) {
            Layer layer = layers.get(group.layer());
            INDArray values;
            if (group.regenerated()) {
                values = regenerated.computeIfAbsent(group.layer(), id -> regenerate(file, layer, group, type))
                        .get(group.key());
            } else {
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
            layer.paramTable().get(group.key()).assign(values);
        }
    }

    /**
     * Sets the updater state from {@value #UPDATER} when the file holds one (from version 2 on: when the manifest
     * lists one, which then must be present), after checking it has the length and data type of the network's
     * updater state.
     */
    private static void restoreUpdater(Path file, CompactZip zip, Model model, Manifest manifest) {
        boolean written = manifest.version() >= 2 ? manifest.entries().containsKey(UPDATER) : zip.contains(UPDATER);
        if (!written) {
            return;
        }
        INDArray view;
        try {
            view = updaterState(model);
        } catch (RuntimeException e) {
            throw CompactModelException.in(file, CONFIGURATION, "its updater cannot be built", e);
        }
        if (view == null || view.length() == 0) {
            throw CompactModelException.in(file, UPDATER, "present; expected none, as the network's updater keeps no "
                    + "state");
        }
        byte[] bytes = entry(file, zip, manifest, UPDATER, ArrayEntry.cap(view.length(), view.dataType()));
        INDArray state = ArrayEntry.read(file, UPDATER, bytes, view.dataType(), view.length());
        try {
            if (model instanceof MultiLayerNetwork net) {
                net.getUpdater().setStateViewArray(net, state, false);
            } else {
                ((ComputationGraph) model).getUpdater().setStateViewArray(state);
            }
        } catch (RuntimeException e) {
            throw CompactModelException.in(file, UPDATER, "state of length " + state.length()
                    + " does not fit the network's updater", e);
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

    private static String networkType(Model model) {
        return model instanceof MultiLayerNetwork ? "MultiLayerNetwork" : "ComputationGraph";
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
