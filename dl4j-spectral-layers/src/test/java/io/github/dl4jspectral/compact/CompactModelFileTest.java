package io.github.dl4jspectral.compact;

import io.github.dl4jspectral.conf.EigenvectorBlock;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.samediff.SameDiffSpectralDenseLayer;
import io.github.dl4jspectral.testing.Nets;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compact model files: exact round trips for every preset and block, native and SameDiff, and every failure path. */
class CompactModelFileTest {

    private static final int N_IN = 5;
    private static final int CLASSES = 3;

    static Stream<Arguments> presetsAndBlocks() {
        List<Arguments> cases = new ArrayList<>();
        for (SpectralPreset preset : SpectralPreset.values()) {
            for (EigenvectorBlock block : List.of(EigenvectorBlock.dense(), EigenvectorBlock.lowRank(2),
                    EigenvectorBlock.sparse(0.5, 7), EigenvectorBlock.svd(), EigenvectorBlock.qr())) {
                cases.add(Arguments.of(preset, block, false));
                cases.add(Arguments.of(preset, block, true));
            }
        }
        return cases.stream();
    }

    /** spectral hidden (native or SameDiff) -> plain DL4J DenseLayer -> SpectralOutputLayer, Adam, double precision. */
    private static MultiLayerNetwork network(SpectralPreset preset, EigenvectorBlock block, boolean sameDiff) {
        org.deeplearning4j.nn.conf.layers.Layer hidden = sameDiff
                ? new SameDiffSpectralDenseLayer.Builder().nOut(6).activation(Activation.TANH).preset(preset)
                .eigenvectorBlock(block).build()
                : new SpectralDenseLayer.Builder().nOut(6).activation(Activation.TANH).preset(preset)
                .eigenvectorBlock(block).build();
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(21).updater(new Adam(0.05)).list()
                .layer(hidden)
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.RELU).build())
                .layer(new SpectralOutputLayer.Builder().nOut(CLASSES).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).preset(preset).eigenvectorBlock(
                                block.getType() == EigenvectorBlock.Type.LOW_RANK ? EigenvectorBlock.lowRank(2) : block)
                        .build())
                .setInputType(InputType.feedForward(N_IN)).build());
        net.init();
        return net;
    }

    private static void step(Model net, int i) {
        INDArray x = Nets.features(DataType.DOUBLE, i, 8, N_IN);
        INDArray y = Nets.oneHot(DataType.DOUBLE, i, 8, CLASSES);
        if (net instanceof MultiLayerNetwork mln) {
            mln.fit(x, y);
        } else {
            ((ComputationGraph) net).fit(new INDArray[]{x}, new INDArray[]{y});
        }
    }

    private static INDArray updaterState(Model net) {
        return net instanceof MultiLayerNetwork mln ? mln.getUpdater().getStateViewArray()
                : ((ComputationGraph) net).getUpdater().getStateViewArray();
    }

    /** Parameters, updater state, and the parameters after one more identical step: all bit for bit equal. */
    private static void assertSameAndTrainsTheSame(Model saved, Model read) {
        assertArrayEquals(saved.params().toDoubleVector(), read.params().toDoubleVector(), "parameters");
        assertArrayEquals(updaterState(saved).toDoubleVector(), updaterState(read).toDoubleVector(), "updater state");
        step(saved, 99);
        step(read, 99);
        assertArrayEquals(saved.params().toDoubleVector(), read.params().toDoubleVector(), "after one more step");
        assertArrayEquals(updaterState(saved).toDoubleVector(), updaterState(read).toDoubleVector(),
                "updater state after one more step");
    }

    /**
     * Writes {@code net} with its updater state, checks which groups the file regenerates, and reads it back: the same
     * configuration, parameters, updater state and next training step.
     */
    private static void assertRoundTrip(Model net, Path file, Set<String> expectedRegenerated) throws IOException {
        CompactModelFile.write(net, file, true);
        assertEquals(expectedRegenerated, regenerated(file));
        if (net instanceof MultiLayerNetwork mln) {
            MultiLayerNetwork read = CompactModelFile.readMultiLayerNetwork(file);
            assertEquals(mln.getLayerWiseConfigurations(), read.getLayerWiseConfigurations());
            assertSameAndTrainsTheSame(net, read);
        } else {
            ComputationGraph read = CompactModelFile.readComputationGraph(file);
            assertEquals(((ComputationGraph) net).getConfiguration(), read.getConfiguration());
            assertSameAndTrainsTheSame(net, read);
        }
    }

    /** "layer/key" of the groups that should be regenerated: frozen groups of spectral layers, except the QR block's. */
    private static Set<String> expectedRegenerated(Map<String, Layer> layers) {
        Set<String> expected = new HashSet<>();
        layers.forEach((id, layer) -> {
            if (layer.conf().getLayer() instanceof SpectralLayerConfig s
                    && s.getSpectral().getBlock().getType() != EigenvectorBlock.Type.QR) {
                for (String key : layer.paramTable().keySet()) {
                    if (!s.getSpectral().trains(SpectralParam.forKey(key).orElseThrow())) {
                        expected.add(id + "/" + key);
                    }
                }
            }
        });
        return expected;
    }

    private static Set<String> regenerated(Path file) throws IOException {
        return CompactModelFile.contents(file).stream().filter(StoredGroup::regenerated)
                .map(g -> g.layer() + "/" + g.key()).collect(Collectors.toSet());
    }

    private static Map<String, Layer> layers(MultiLayerNetwork net) {
        Map<String, Layer> layers = new LinkedHashMap<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            layers.put(String.valueOf(i), net.getLayer(i));
        }
        return layers;
    }

    @ParameterizedTest(name = "{0} {1} sameDiff={2}")
    @MethodSource("presetsAndBlocks")
    void roundTripIsExactForEveryPresetAndBlock(SpectralPreset preset, EigenvectorBlock block, boolean sameDiff,
                                                @TempDir Path dir) throws IOException {
        MultiLayerNetwork net = network(preset, block, sameDiff);
        step(net, 1);
        step(net, 2);
        assertRoundTrip(net, dir.resolve("model.zip"), expectedRegenerated(layers(net)));
    }

    @Test
    void frozenPhiIsRegeneratedAndTheFileIsSmallerThanModelSerializers(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = network(SpectralPreset.EIGENVALUES, EigenvectorBlock.dense(), false);
        step(net, 1);
        Path compact = dir.resolve("compact.zip");
        Path full = dir.resolve("full.zip");
        CompactModelFile.write(net, compact, true);
        ModelSerializer.writeModel(net, full.toFile(), true);
        assertTrue(regenerated(compact).containsAll(Set.of("0/phi", "2/phi")));
        long frozenBytes = 8 * (N_IN * 6 + 4 * CLASSES);
        assertTrue(Files.size(compact) < Files.size(full) + 2048 - frozenBytes,
                "compact " + Files.size(compact) + " bytes, ModelSerializer " + Files.size(full));
        assertTrue(CompactModelFile.isCompact(compact));
        assertFalse(CompactModelFile.isCompact(full));
    }

    @Test
    void aFrozenGroupChangedAfterInitializationIsStoredInFull(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = network(SpectralPreset.EIGENVALUES, EigenvectorBlock.dense(), false);
        step(net, 1);
        INDArray phi = net.getLayer(0).getParam("phi").dup();
        phi.putScalar(0, 0, phi.getDouble(0, 0) + 1e-3);
        net.getLayer(0).setParam("phi", phi);
        // the changed phi is stored in full, the untouched one is still a seed
        assertRoundTrip(net, dir.resolve("model.zip"), Set.of("2/phi"));
    }

    @Test
    void aPrunedLayersSlicedPhiIsStoredInFull(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(8).updater(new Adam(0.05)).list()
                .layer(new SpectralDenseLayer.Builder().nOut(6).activation(Activation.TANH).build())
                .layer(new SpectralOutputLayer.Builder().nOut(CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(N_IN)).build());
        net.init();
        step(net, 1);
        MultiLayerNetwork pruned = io.github.dl4jspectral.pruning.Pruner.prune(net,
                io.github.dl4jspectral.pruning.PruningConfig.builder().fraction(0.5).build()).network();
        assertEquals(3, pruned.getLayer(0).getParam("phi").columns());
        step(pruned, 2);
        // both phi were sliced: no longer what their seeds draw
        assertRoundTrip(pruned, dir.resolve("pruned.zip"), Set.of());
    }

    @Test
    void computationGraphWithSameDiffNativeAndPlainLayersRoundTripsExactly(@TempDir Path dir) throws IOException {
        ComputationGraphConfiguration conf = Nets.doubles(5).updater(new Adam(0.05)).graphBuilder()
                .addInputs("in")
                .addLayer("spectral", new SpectralDenseLayer.Builder().nOut(6).activation(Activation.TANH)
                        .svd().build(), "in")
                .addLayer("samediff", new SameDiffSpectralDenseLayer.Builder().nOut(5).activation(Activation.TANH)
                        .build(), "spectral")
                .addLayer("plain", new DenseLayer.Builder().nOut(4).activation(Activation.RELU).build(), "samediff")
                .addLayer("out", new SpectralOutputLayer.Builder().nOut(CLASSES).activation(Activation.SOFTMAX)
                        .preset(SpectralPreset.EIGENVALUES_OUT).build(), "plain")
                .setOutputs("out").setInputTypes(InputType.feedForward(N_IN)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        step(graph, 1);
        assertRoundTrip(graph, dir.resolve("graph.zip"), Set.of("spectral/phiA", "spectral/phiB", "spectral/phiS",
                "samediff/phi", "out/phi", "out/lambdaIn"));
    }

    @Test
    void withoutTheUpdaterStateTheParametersStillRoundTrip(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = network(SpectralPreset.FULL, EigenvectorBlock.dense(), false);
        step(net, 1);
        Path file = dir.resolve("model.zip");
        CompactModelFile.write(net, file, false);
        MultiLayerNetwork read = CompactModelFile.readMultiLayerNetwork(file);
        assertArrayEquals(net.params().toDoubleVector(), read.params().toDoubleVector());
        assertEquals(0.0, read.getUpdater().getStateViewArray().norm1Number().doubleValue(), "fresh updater state");
    }

    // ---- failure paths ----

    private static Path saved(Path dir) throws IOException {
        MultiLayerNetwork net = network(SpectralPreset.EIGENVALUES, EigenvectorBlock.dense(), false);
        step(net, 1);
        Path file = dir.resolve("model.zip");
        CompactModelFile.write(net, file, true);
        return file;
    }

    /**
     * Rewrites entry {@code name} of the zip {@code file} through {@code change}, with valid zip CRCs and, if
     * {@code reseal}, with the manifest's digests made to match (so that the checks behind the digests are reached).
     */
    private static void rewrite(Path file, String name, UnaryOperator<byte[]> change, boolean reseal)
            throws IOException {
        Map<String, byte[]> entries = ZipSurgery.entries(Files.readAllBytes(file));
        assertTrue(entries.containsKey(name), name);
        entries.put(name, change.apply(entries.get(name)));
        Files.write(file, ZipSurgery.zip(reseal ? ZipSurgery.resealed(entries) : entries));
    }

    private static UnaryOperator<byte[]> replaceText(String regex, String replacement) {
        return bytes -> {
            String text = new String(bytes, StandardCharsets.UTF_8);
            String changed = text.replaceFirst(regex, replacement);
            assertFalse(text.equals(changed), "pattern " + regex + " found");
            return changed.getBytes(StandardCharsets.UTF_8);
        };
    }

    private static String regeneratedPhiSha(Path file) throws IOException {
        return CompactModelFile.contents(file).stream().filter(g -> g.layer().equals("0") && g.key().equals("phi"))
                .findFirst().orElseThrow().sha256();
    }

    /**
     * Changes entry {@code name} of a saved file through {@code change} and reseals the manifest's digests; reading
     * must fail naming the file and every part.
     */
    private static void assertTamperedFileFails(Path dir, String name, UnaryOperator<byte[]> change, String... parts)
            throws IOException {
        Path file = saved(dir);
        rewrite(file, name, change, true);
        Nets.assertMessage(CompactModelException.class, () -> CompactModelFile.readMultiLayerNetwork(file), parts);
        Nets.assertMessage(CompactModelException.class, () -> CompactModelFile.readMultiLayerNetwork(file),
                file.toString());
    }

    @Test
    void anEntryChangedWithValidZipCrcsFailsItsDigest(@TempDir Path dir) throws IOException {
        UnaryOperator<byte[]> flipLastByte = bytes -> {
            bytes[bytes.length - 1] ^= 1;
            return bytes;
        };
        for (String name : List.of(CompactModelFile.CONFIGURATION, CompactModelFile.PARAMETERS,
                CompactModelFile.UPDATER)) {
            Path file = saved(dir.resolve(name));
            rewrite(file, name, flipLastByte, false);
            Nets.assertMessage(CompactModelException.class, () -> CompactModelFile.readMultiLayerNetwork(file),
                    file + ": entry " + name + ": sha256 = ", "as the manifest records (the entry is corrupt)");
        }
        Path file = saved(dir.resolve("manifest"));
        rewrite(file, CompactModelFile.MANIFEST, replaceText("\"numParams\" : \\d+", "\"numParams\" : 12"), false);
        Nets.assertMessage(CompactModelException.class, () -> CompactModelFile.readMultiLayerNetwork(file),
                file + ": entry compact.json: sha256 = ", "as compact.json.sha256 records (the manifest is corrupt)");
        Nets.assertMessage(CompactModelException.class, () -> CompactModelFile.contents(file),
                "as compact.json.sha256 records");
    }

    @Test
    void sizesThatDisagreeWithTheConfigurationOrTheDataAreErrorsEvenBehindValidDigests(@TempDir Path dir)
            throws IOException {
        assertTamperedFileFails(dir.resolve("numParams"), CompactModelFile.MANIFEST,
                replaceText("\"numParams\" : \\d+", "\"numParams\" : 3000000000"),
                "entry compact.json: numParams = 3000000000; expected 97, the number the configuration determines");
        assertTamperedFileFails(dir.resolve("negative"), CompactModelFile.MANIFEST,
                replaceText("\"numParams\" : \\d+", "\"numParams\" : -5"),
                "entry compact.json: numParams = -5; expected a non-negative integer");
        assertTamperedFileFails(dir.resolve("fraction"), CompactModelFile.MANIFEST,
                replaceText("\"numParams\" : \\d+", "\"numParams\" : 1e12"),
                "entry compact.json: numParams = 1.0E12; expected a non-negative integer");
        assertTamperedFileFails(dir.resolve("stride"), CompactModelFile.UPDATER, bytes -> {
            bytes[48 + 7] = (byte) 0xe8;   // rank-1 header: the stride is the long at 48; 1000 = 0x3e8
            bytes[48 + 6] = 0x03;
            return bytes;
        }, "entry updaterState.bin: stride = [1000]; expected [1]");
        assertTamperedFileFails(dir.resolve("half"), CompactModelFile.UPDATER,
                bytes -> java.util.Arrays.copyOf(bytes, bytes.length / 2),
                "entry updaterState.bin: bytes after the header = ");
        assertTamperedFileFails(dir.resolve("shape"), CompactModelFile.PARAMETERS, bytes -> {
            bytes[40 + 7] ^= 1;    // the shape's one size
            return bytes;
        }, "entry parameters.bin: shape = [");
    }

    @Test
    void aVersion1FileWithAnEntryTheWriterNeverWroteIsAnError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("renamed.zip");
        Map<String, byte[]> entries = ZipSurgery.entries(Files.readAllBytes(Path.of(
                CompactModelFileTest.class.getResource("version1/eigenvalues-updater.zip").toURI())));
        entries.put("updaterStatf.bin", entries.remove(CompactModelFile.UPDATER));
        Files.write(file, ZipSurgery.zip(entries));
        // a damaged name would otherwise read as "saved without updater state": a fresh updater, no error
        Nets.assertMessage(CompactModelException.class, () -> CompactModelFile.readMultiLayerNetwork(file),
                file + ": entry updaterStatf.bin: unknown in a file of version 1");
    }

    @Test
    void aPromisedEntryThatIsMissingIsAnError(@TempDir Path dir) throws IOException {
        for (String name : List.of(CompactModelFile.UPDATER, CompactModelFile.PARAMETERS,
                CompactModelFile.MANIFEST_DIGEST)) {
            Path file = saved(dir.resolve(name));
            Map<String, byte[]> entries = ZipSurgery.entries(Files.readAllBytes(file));
            entries.remove(name);
            Files.write(file, ZipSurgery.zip(entries));
            Nets.assertMessage(CompactModelException.class, () -> CompactModelFile.readMultiLayerNetwork(file),
                    file + ": entry " + name + ": missing; expected");
        }
    }

    @Test
    void aRegenerationThatDiffersFromTheSavedValuesIsAnError(@TempDir Path dir) throws IOException {
        Path reference = saved(dir.resolve("reference"));
        assertTamperedFileFails(dir, CompactModelFile.MANIFEST, replaceText(regeneratedPhiSha(reference), "0".repeat(64)),
                "layer 0, group phi [5, 6] regenerated from seed", "does not match the saved values",
                "expected " + "0".repeat(64));
    }

    @Test
    void corruptStoredValuesAreAnError(@TempDir Path dir) throws IOException {
        assertTamperedFileFails(dir, CompactModelFile.PARAMETERS, bytes -> {
            bytes[bytes.length - 3] ^= 0x10;
            return bytes;
        }, "stored in full does not match its checksum (the file is corrupt)");
    }

    @Test
    void aSeedThatIsNotTheConfigurationsIsAnError(@TempDir Path dir) throws IOException {
        assertTamperedFileFails(dir, CompactModelFile.CONFIGURATION,
                replaceText("\"initSeed\" : (-?\\d+)", "\"initSeed\" : 12345"),
                "in the manifest; expected the seed of the layer's configuration, 12345");
    }

    @Test
    void anUnknownGeneratorIsAnError(@TempDir Path dir) throws IOException {
        assertTamperedFileFails(dir, CompactModelFile.MANIFEST, replaceText("SplittableRandom-polar-c/1", "other/2"),
                "was drawn by generator other/2; expected SplittableRandom-polar-c/1");
    }

    @Test
    void malformedEntriesAreErrorsNamingTheEntry(@TempDir Path dir) throws IOException {
        assertTamperedFileFails(dir.resolve("truncated"), CompactModelFile.PARAMETERS,
                bytes -> java.util.Arrays.copyOf(bytes, 40), "entry parameters.bin: ends inside its header");
        assertTamperedFileFails(dir.resolve("manifest"), CompactModelFile.MANIFEST,
                bytes -> "{\"format\": ".getBytes(StandardCharsets.UTF_8), "compact.json is not JSON");
        assertTamperedFileFails(dir.resolve("type"), CompactModelFile.MANIFEST, replaceText("\"FLOAT\"|\"DOUBLE\"",
                "\"QUATERNION\""),
                "manifest dataType \"QUATERNION\"; expected one of ND4J's floating-point data types");
    }

    @Test
    void otherFilesAndNetworkTypesAreRejected(@TempDir Path dir) throws IOException {
        Path file = saved(dir);
        Nets.assertMessage(CompactModelException.class, () -> CompactModelFile.readComputationGraph(file),
                "holds a MultiLayerNetwork; expected a ComputationGraph");
        Path plain = dir.resolve("plain.zip");
        ModelSerializer.writeModel(network(SpectralPreset.FULL, EigenvectorBlock.dense(), false), plain.toFile(), true);
        Nets.assertMessage(CompactModelException.class, () -> CompactModelFile.readMultiLayerNetwork(plain),
                "no compact.json entry; expected a compact model file");
        Path text = Files.writeString(dir.resolve("text.zip"), "not a zip");
        Nets.assertMessage(CompactModelException.class, () -> CompactModelFile.readMultiLayerNetwork(text),
                text + ": not a readable zip");
        assertFalse(CompactModelFile.isCompact(text));
    }

    @Test
    void aFailedWriteLeavesTheOldFile(@TempDir Path dir) throws IOException {
        Path file = saved(dir);
        byte[] before = Files.readAllBytes(file);
        MultiLayerNetwork net = network(SpectralPreset.EIGENVALUES, EigenvectorBlock.dense(), false);
        MultiLayerNetwork failing = new MultiLayerNetwork(net.getLayerWiseConfigurations()) {
            @Override
            public org.deeplearning4j.nn.api.Updater getUpdater() {
                throw new IllegalStateException("disk full");
            }
        };
        failing.init();
        Nets.assertMessage(IllegalStateException.class, () -> CompactModelFile.write(failing, file, true), "disk full");
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "no temporary file left");
        }
    }
}
