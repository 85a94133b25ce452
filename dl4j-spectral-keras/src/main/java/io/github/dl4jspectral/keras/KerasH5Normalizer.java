package io.github.dl4jspectral.keras;

import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.H5Object;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.StrType;
import org.bytedeco.hdf5.global.hdf5;
import org.bytedeco.javacpp.BytePointer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a copy of a Keras H5 model file (Keras 2 or 3) that DL4J's {@code KerasModelImport} reads, and never changes
 * the original. Besides the configuration rewrites of {@link KerasConfigNormalizer}, a Keras 3 file gets
 * {@code keras_version} {@value #DL4J_KERAS_VERSION} (DL4J refuses major version 3) and, in every layer group of
 * {@code model_weights}, {@code weight_names} naming its datasets with the {@code :0} suffix from which DL4J finds
 * the group that holds them; a file without {@code backend} gets {@code tensorflow}. The copy is written with the
 * HDF5 library DL4J reads it with (bytedeco hdf5); all HDF5 calls hold {@link Hdf5Archive#LOCK_OBJECT}.
 */
final class KerasH5Normalizer {

    /** The version written into a Keras 3 file's copy: the Keras 2 layout this normalization produces. */
    static final String DL4J_KERAS_VERSION = "2.15.0";

    private static final String MODEL_CONFIG = "model_config";
    private static final String TRAINING_CONFIG = "training_config";
    private static final String KERAS_VERSION = "keras_version";
    private static final String BACKEND = "backend";
    private static final String MODEL_WEIGHTS = "model_weights";
    private static final String WEIGHT_NAMES = "weight_names";
    /** DL4J's name for weights of the model itself rather than of a layer; it skips this group. */
    private static final String TOP_LEVEL_WEIGHTS = "top_level_model_weights";
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final Pattern TF_SUFFIX = Pattern.compile(":\\d+$");

    private KerasH5Normalizer() {
    }

    /** What is read from the user's file before the copy is written. */
    private record Contents(String modelConfig, String trainingConfig, int majorVersion, boolean hasBackend,
                            Map<String, List<String>> layerWeights, Map<String, Integer> spectralUnits) {
    }

    /** A normalized copy (deleted by the caller) and the model configuration of the file it was made from. */
    record NormalizedCopy(Path path, String sourceModelConfig) {
    }

    /**
     * Writes the normalized copy of {@code source} to a new temporary file; the caller deletes it. On failure no
     * temporary file remains.
     *
     * @param keepTrainingConfig whether DL4J will enforce the training configuration (see
     *                           {@link KerasConfigNormalizer#modelConfig})
     */
    static NormalizedCopy normalizedCopy(Path source, boolean keepTrainingConfig) throws KerasImportException {
        requireHdf5(source);
        Contents contents = read(source);
        String modelConfig = KerasConfigNormalizer.modelConfig(contents.modelConfig(), contents.spectralUnits(),
                keepTrainingConfig);
        String trainingConfig = contents.trainingConfig() == null ? null
                : KerasConfigNormalizer.trainingConfig(contents.trainingConfig());
        Path copy = null;
        try {
            copy = Files.createTempFile("dl4j-spectral-keras-", ".h5");
            Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
            write(copy, contents, modelConfig, trainingConfig);
            return new NormalizedCopy(copy, contents.modelConfig());
        } catch (IOException | RuntimeException e) {
            deleteQuietly(copy);
            throw new KerasImportException(source + ": the normalized copy could not be written (" + e.getMessage()
                    + "); expected a writable temporary directory (java.io.tmpdir)", e);
        }
    }

    static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                file.toFile().deleteOnExit();
            }
        }
    }

    /** An HDF5 file has its signature at offset 0, 512, 1024, 2048, ... (after an optional user block). */
    private static void requireHdf5(Path source) throws KerasImportException {
        if (!Files.isRegularFile(source)) {
            throw new KerasImportException(source + ": no such file; expected a Keras model saved with model.save(\"...h5\")");
        }
        try (InputStream in = Files.newInputStream(source)) {
            long size = Files.size(source);
            long offset = 0;
            byte[] head = new byte[HDF5_SIGNATURE.length];
            for (long at = 0; at + head.length <= size; at = at == 0 ? 512 : at * 2) {
                in.skipNBytes(at - offset);
                offset = at + in.readNBytes(head, 0, head.length);
                if (Arrays.equals(head, HDF5_SIGNATURE)) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new KerasImportException(source + ": not readable (" + e.getMessage() + ")", e);
        }
        throw new KerasImportException(source + ": not an HDF5 file (no HDF5 signature)"
                + "; expected a Keras model saved with model.save(\"...h5\") (a .keras zip file is not supported)");
    }

    private static Contents read(Path source) throws KerasImportException {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            try (Hdf5Archive archive = new Hdf5Archive(source.toString())) {
                if (!archive.hasAttribute(MODEL_CONFIG)) {
                    throw new KerasImportException(source + ": attribute " + MODEL_CONFIG + " missing; expected a whole"
                            + " Keras model saved with model.save(\"...h5\") (a weights-only file has none)");
                }
                String modelConfig = archive.readAttributeAsJson(MODEL_CONFIG);
                String trainingConfig = archive.hasAttribute(TRAINING_CONFIG)
                        ? archive.readAttributeAsJson(TRAINING_CONFIG) : null;
                int major = archive.hasAttribute(KERAS_VERSION)
                        ? majorVersion(source, archive.readAttributeAsString(KERAS_VERSION)) : 1;
                if (!archive.getGroups().contains(MODEL_WEIGHTS)) {
                    throw new KerasImportException(source + ": group " + MODEL_WEIGHTS + " missing; expected the"
                            + " weights saved with the model");
                }
                Map<String, List<String>> layerWeights = new LinkedHashMap<>();
                for (String layer : archive.getGroups(MODEL_WEIGHTS)) {
                    if (!layer.equals(TOP_LEVEL_WEIGHTS)) {
                        List<String> datasets = new ArrayList<>();
                        collectDatasets(archive, MODEL_WEIGHTS + "/" + layer, "", datasets);
                        layerWeights.put(layer, datasets);
                    }
                }
                Map<String, Integer> spectralUnits = spectralUnits(source, archive, modelConfig, layerWeights);
                return new Contents(modelConfig, trainingConfig, major, archive.hasAttribute(BACKEND), layerWeights,
                        spectralUnits);
            } catch (KerasImportException e) {
                throw e;
            } catch (Exception e) {
                throw new KerasImportException(source + ": not readable as a Keras H5 file (" + e.getMessage()
                        + "); expected a Keras model saved with model.save(\"...h5\")", e);
            }
        }
    }

    private static int majorVersion(Path source, String version) throws KerasImportException {
        String trimmed = version.trim();
        if (trimmed.isEmpty() || !Character.isDigit(trimmed.charAt(0))) {
            throw new KerasImportException(source + ": " + KERAS_VERSION + " = \"" + trimmed
                    + "\"; expected a version such as 2.15.0 or 3.15.1");
        }
        return Character.getNumericValue(trimmed.charAt(0));
    }

    /** The datasets under {@code group}, as paths relative to the layer's group. */
    private static void collectDatasets(Hdf5Archive archive, String group, String prefix, List<String> out) {
        for (String dataset : archive.getDataSets(group)) {
            out.add(prefix + dataset);
        }
        for (String child : archive.getGroups(group)) {
            collectDatasets(archive, group + "/" + child, prefix + child + "/", out);
        }
    }

    /** The output size of each Spectral layer: the columns of its weight {@code base} [nIn, nOut]. */
    private static Map<String, Integer> spectralUnits(Path source, Hdf5Archive archive, String modelConfig,
                                                      Map<String, List<String>> layerWeights) throws Exception {
        Map<String, Integer> units = new LinkedHashMap<>();
        for (Map.Entry<String, String> layer : KerasConfigNormalizer.layerClasses(modelConfig).entrySet()) {
            if (!KerasSpectral.CLASS_NAMES.contains(layer.getValue())) {
                continue;
            }
            String name = layer.getKey();
            String where = source + ": Spectral layer \"" + name + "\"";
            String basePath = layerWeights.getOrDefault(name, List.of()).stream()
                    .filter(p -> leafName(p).equals(KerasSpectral.BASE)).findFirst()
                    .orElseThrow(() -> new KerasImportException(where + ": no weight " + KerasSpectral.BASE + " under "
                            + MODEL_WEIGHTS + "/" + name + "; expected " + KerasSpectral.BASE + " [nIn, nOut], "
                            + KerasSpectral.DIAG_START + " [nIn, 1], " + KerasSpectral.DIAG_END + " [1, nOut]"));
            int slash = basePath.lastIndexOf('/');
            String group = MODEL_WEIGHTS + "/" + name + (slash < 0 ? "" : "/" + basePath.substring(0, slash));
            INDArray base = archive.readDataSet(basePath.substring(slash + 1), group);
            if (base.rank() != 2) {
                throw new KerasImportException(where + ": weight " + KerasSpectral.BASE + " shape = "
                        + Arrays.toString(base.shape()) + "; expected [nIn, nOut]");
            }
            units.put(name, (int) base.size(1));
        }
        return units;
    }

    /** {@code sequential/spectral/base:0} to {@code base}. */
    private static String leafName(String datasetPath) {
        return TF_SUFFIX.matcher(datasetPath.substring(datasetPath.lastIndexOf('/') + 1)).replaceFirst("");
    }

    private static void write(Path copy, Contents contents, String modelConfig, String trainingConfig) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5File file = new H5File(copy.toString(), hdf5.H5F_ACC_RDWR());
            try {
                writeStrings(file, MODEL_CONFIG, List.of(modelConfig), true);
                if (trainingConfig != null) {
                    writeStrings(file, TRAINING_CONFIG, List.of(trainingConfig), true);
                }
                if (!contents.hasBackend()) {
                    writeStrings(file, BACKEND, List.of("tensorflow"), true);
                }
                if (contents.majorVersion() >= 3) {
                    writeStrings(file, KERAS_VERSION, List.of(DL4J_KERAS_VERSION), true);
                    for (Map.Entry<String, List<String>> layer : contents.layerWeights().entrySet()) {
                        Group group = file.openGroup(MODEL_WEIGHTS + "/" + layer.getKey());
                        try {
                            List<String> names = layer.getValue().stream()
                                    .map(p -> TF_SUFFIX.matcher(p).find() ? p : p + ":0").toList();
                            writeStrings(group, WEIGHT_NAMES, names.isEmpty() ? List.of("") : names, names.isEmpty());
                        } finally {
                            group.close();
                        }
                    }
                }
            } finally {
                file.close();
            }
        }
    }

    /**
     * Replaces attribute {@code name} of {@code owner} with null-terminated fixed-length strings: a scalar if
     * {@code scalar}, else a one-dimensional array.
     */
    private static void writeStrings(H5Object owner, String name, List<String> values, boolean scalar) {
        List<byte[]> encoded = values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList();
        int width = encoded.stream().mapToInt(b -> b.length).max().orElse(0) + 1;
        byte[] buffer = new byte[width * encoded.size()];
        for (int i = 0; i < encoded.size(); i++) {
            System.arraycopy(encoded.get(i), 0, buffer, i * width, encoded.get(i).length);
        }
        if (owner.attrExists(name)) {
            owner.removeAttr(name);
        }
        StrType type = new StrType(PredType.C_S1(), width);
        DataSpace space = scalar ? new DataSpace(hdf5.H5S_SCALAR) : new DataSpace(1, new long[]{encoded.size()});
        Attribute attribute = owner.createAttribute(name, type, space);
        try (BytePointer data = new BytePointer(buffer)) {
            attribute.write(type, data);
        } finally {
            attribute.close();
            space.close();
            type.close();
        }
    }
}
