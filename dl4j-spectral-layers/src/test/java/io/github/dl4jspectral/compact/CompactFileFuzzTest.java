package io.github.dl4jspectral.compact;

import io.github.dl4jspectral.compact.CompactNetworks.Kind;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Corrupt and crafted compact model files end in exactly one of two ways: a network whose configuration, parameters
 * and updater state equal those written, or a {@link CompactModelException} naming the file. Anything else (another
 * exception, an out-of-memory error, a network that differs in one bit) fails the test.
 *
 * <p>Files: EIGENVALUES, EIGENVECTORS and SVD FULL networks ({@link CompactNetworks}), each written with and without
 * its updater state, and one file of version 1. Mutations, seeded: in every region of each file (each entry's local
 * header, data and data descriptor, each central directory header, the end record) bytes flipped with each of three
 * masks, at {@value #HEADER_SAMPLE} sampled positions per header and every {@value #DATA_STEP}th byte of data;
 * truncation at every {@value #TRUNCATION_STEP}th offset; and the crafted cases of each test below.
 */
class CompactFileFuzzTest {

    private static final long SEED = 20_261_207L;
    private static final int[] MASKS = {0x01, 0x20, 0x80};
    private static final int HEADER_SAMPLE = 2;
    private static final int DATA_STEP = 53;
    private static final int TRUNCATION_STEP = 23;

    /** A file as written and what reading it must give. */
    private record Original(String name, byte[] bytes, String configuration, double[] params, double[] updater) {
    }

    private static final List<Original> ORIGINALS = new ArrayList<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeTheFiles() throws Exception {
        for (Kind kind : Kind.values()) {
            MultiLayerNetwork net = CompactNetworks.multiLayer(kind, DataType.DOUBLE, 3);
            for (boolean updater : new boolean[]{true, false}) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                CompactModelFile.write(net, bytes, updater);
                INDArray state = CompactNetworks.updaterState(net);
                ORIGINALS.add(new Original(kind + (updater ? " with updater" : " without updater"),
                        bytes.toByteArray(), CompactNetworks.configuration(net), values(net.params()),
                        updater ? values(state) : new double[(int) state.length()]));
            }
        }
        String legacy = "version1/eigenvalues-updater";
        JsonNode expected = new ObjectMapper().readTree(CompactFileFuzzTest.class.getResource(legacy + ".json"));
        try (var in = CompactFileFuzzTest.class.getResourceAsStream(legacy + ".zip")) {
            ORIGINALS.add(new Original(legacy, in.readAllBytes(), expected.get("configuration").asText(),
                    values(expected.get("params")), values(expected.get("updaterState"))));
        }
    }

    /** The files written by this version (not the version-1 file, which has no digests to detect rewritten entries). */
    private static List<Original> written() {
        return ORIGINALS.subList(0, 2 * Kind.values().length);
    }

    private static Original original(String name) {
        return ORIGINALS.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
    }

    /** Reads {@code bytes} as a file: it must load exactly as {@code original} or fail naming the file. */
    private static Outcome read(Original original, byte[] bytes, String mutation) throws IOException {
        Path file = dir.resolve("case.zip");
        Files.write(file, bytes);
        String what = original.name() + ", " + mutation;
        MultiLayerNetwork read;
        try {
            read = CompactModelFile.readMultiLayerNetwork(file);
        } catch (CompactModelException e) {
            assertTrue(e.getMessage().startsWith(file + ": "), what + ": message does not name the file: "
                    + e.getMessage());
            return Outcome.REFUSED;
        } catch (Throwable e) {
            throw new AssertionError(what + ": " + e, e);
        }
        assertTrue(CompactModelFile.isCompact(file), what + ": loaded, but isCompact says false");
        assertEquals(original.configuration(), CompactNetworks.configuration(read), what + ": configuration");
        assertArrayEquals(original.params(), values(read.params()), what + ": parameters");
        assertArrayEquals(original.updater(), values(CompactNetworks.updaterState(read)), what + ": updater state");
        return Outcome.LOADED;
    }

    private enum Outcome { LOADED, REFUSED }

    private static void assertRefused(Original original, byte[] bytes, String mutation) throws IOException {
        assertEquals(Outcome.REFUSED, read(original, bytes, mutation), original.name() + ", " + mutation);
    }

    @Test
    void everyRegionWithFlippedBytesLoadsExactlyOrIsRefused() throws IOException {
        Random random = new Random(SEED);
        int loaded = 0;
        int refused = 0;
        for (Original original : ORIGINALS) {
            for (ZipSurgery.Region region : ZipSurgery.regions(original.bytes())) {
                for (int position : positions(region, random)) {
                    for (int mask : MASKS) {
                        byte[] bytes = original.bytes().clone();
                        bytes[position] ^= (byte) mask;
                        if (read(original, bytes, "byte " + position + " (" + region.what() + ") ^ " + mask)
                                == Outcome.LOADED) {
                            loaded++;
                        } else {
                            refused++;
                        }
                    }
                }
            }
        }
        assertTrue(loaded > 0 && refused > loaded, loaded + " loaded, " + refused + " refused");
    }

    /**
     * Sampled positions of {@code region}: every {@value #DATA_STEP}th byte of data from a random start,
     * {@value #HEADER_SAMPLE} random bytes of a header, one of a data descriptor (which the reader never uses).
     */
    private static int[] positions(ZipSurgery.Region region, Random random) {
        int length = region.end() - region.start();
        if (region.what().startsWith("data of")) {
            int first = region.start() + random.nextInt(Math.min(DATA_STEP, length));
            return IntStream.iterate(first, p -> p < region.end(), p -> p + DATA_STEP).toArray();
        }
        int sample = region.what().startsWith("data descriptor") ? 1 : HEADER_SAMPLE;
        return random.ints(region.start(), region.end()).distinct().limit(Math.min(sample, length)).toArray();
    }

    @Test
    void everyTruncationIsRefused() throws IOException {
        for (Original original : ORIGINALS) {
            int length = original.bytes().length;
            for (int end = 0; end < length; end += TRUNCATION_STEP) {
                assertRefused(original, Arrays.copyOf(original.bytes(), end), "cut at " + end);
            }
            String text = new String(original.bytes(), StandardCharsets.ISO_8859_1);
            int name = text.indexOf(CompactModelFile.UPDATER);
            if (name >= 0) {
                for (int end = name - 30; end < name + CompactModelFile.UPDATER.length() + 8; end++) {
                    assertRefused(original, Arrays.copyOf(original.bytes(), end), "cut in the header of "
                            + CompactModelFile.UPDATER + " at " + end);
                }
            }
        }
    }

    @Test
    void aFlippedBitInTheUpdaterStatesNameOrSignatureLoadsExactlyOrIsRefused() throws IOException {
        for (Original original : ORIGINALS) {
            String text = new String(original.bytes(), StandardCharsets.ISO_8859_1);
            for (int name = text.indexOf(CompactModelFile.UPDATER); name >= 0;
                 name = text.indexOf(CompactModelFile.UPDATER, name + 1)) {
                // the name in the local header (signature 30 bytes before) and in the central directory (46 before)
                for (int position : new int[]{name, name + 7, name - 30, name - 46}) {
                    byte[] bytes = original.bytes().clone();
                    bytes[position] ^= 0x04;
                    read(original, bytes, "bit 2 of byte " + position + " near " + CompactModelFile.UPDATER);
                }
            }
        }
    }

    @Test
    void changedUpdaterValuesWithValidZipCrcsAreRefused() throws IOException {
        for (Original original : written()) {
            Map<String, byte[]> entries = ZipSurgery.entries(original.bytes());
            byte[] state = entries.get(CompactModelFile.UPDATER);
            if (state == null) {
                continue;
            }
            int last = state.length - 8;
            assertRefused(original, rewritten(entries, CompactModelFile.UPDATER, b -> {
                b[last + 7] ^= 1;
                return b;
            }, false), "an updater value with its last bit flipped");
            assertRefused(original, rewritten(entries, CompactModelFile.UPDATER, b -> {
                ByteBuffer.wrap(b).putDouble(last, Double.NaN);
                return b;
            }, false), "an updater value NaN");
        }
    }

    @Test
    void arrayHeadersThatDisagreeWithTheirDataAreRefusedEvenWhenResealed() throws IOException {
        for (Original original : ORIGINALS) {
            Map<String, byte[]> entries = ZipSurgery.entries(original.bytes());
            for (String name : List.of(CompactModelFile.UPDATER, CompactModelFile.PARAMETERS)) {
                if (!entries.containsKey(name)) {
                    continue;
                }
                int values = (int) ByteBuffer.wrap(entries.get(name)).getLong(dataLengthOffset(entries.get(name)));
                int header = entries.get(name).length - 8 * values;
                for (boolean reseal : new boolean[]{false, true}) {
                    String how = reseal ? " (resealed)" : " (valid zip CRCs)";
                    assertRefused(original, rewritten(entries, name, b -> Arrays.copyOf(b, header + 4 * values),
                            reseal), name + " holding half the data its header declares" + how);
                    assertRefused(original, rewritten(entries, name, b -> {
                        ByteBuffer.wrap(b).putLong(strideOffset(b), 1000);
                        return b;
                    }, reseal), name + " with its stride patched to 1000" + how);
                    assertRefused(original, rewritten(entries, name, b -> {
                        ByteBuffer buffer = ByteBuffer.wrap(b);
                        buffer.putLong(dataLengthOffset(b), values / 2);
                        buffer.putLong(strideOffset(b) - 8, values / 2);
                        return Arrays.copyOf(b, header + 4 * values);
                    }, reseal), name + " with shape and length halved with the data" + how);
                }
            }
        }
    }

    /** The offset of the first stride in an array entry as {@code Nd4j.write} writes it (rank at its offset - 16). */
    private static int strideOffset(byte[] b) {
        ByteBuffer buffer = ByteBuffer.wrap(b);
        int p = 2 + Short.toUnsignedInt(buffer.getShort(0)) + 8;
        p += 2 + Short.toUnsignedInt(buffer.getShort(p));
        return p + 8 + 8 * (int) buffer.getLong(p);
    }

    /** The offset of the data buffer's length field. */
    private static int dataLengthOffset(byte[] b) {
        ByteBuffer buffer = ByteBuffer.wrap(b);
        int p = 2 + Short.toUnsignedInt(buffer.getShort(0));
        long infoLength = buffer.getLong(p);
        p += 8;
        p += 2 + Short.toUnsignedInt(buffer.getShort(p));
        p += 8 * (int) infoLength;
        return p + 2 + Short.toUnsignedInt(buffer.getShort(p));
    }

    @Test
    void aChangedConfigurationWithValidZipCrcsIsRefused() throws IOException {
        for (Original original : written()) {
            Map<String, byte[]> entries = ZipSurgery.entries(original.bytes());
            for (String[] change : new String[][]{{"ActivationTanH", "ActivationReLU"},
                    {"\"magnitudeSparsity\" : 0.0", "\"magnitudeSparsity\" : 0.5"},
                    {"\"learningRate\" : 0.05", "\"learningRate\" : 0.01"}}) {
                assertRefused(original, rewritten(entries, CompactModelFile.CONFIGURATION,
                        replace(change[0], change[1]), false), change[0] + " -> " + change[1]);
            }
        }
    }

    @Test
    void impossibleParameterCountsAreRefusedBeforeAnyAllocation() throws IOException {
        for (Original original : ORIGINALS) {
            Map<String, byte[]> entries = ZipSurgery.entries(original.bytes());
            for (String count : List.of("3000000000", "1e12", "-5", "1000000000000000000000")) {
                for (boolean reseal : new boolean[]{false, true}) {
                    assertRefused(original, rewritten(entries, CompactModelFile.MANIFEST,
                            bytes -> replaceFirst(bytes, "\"numParams\" : \\d+", "\"numParams\" : " + count), reseal),
                            "numParams " + count + (reseal ? " (resealed)" : " (valid zip CRCs)"));
                }
            }
        }
    }

    @Test
    void aHugeEntryIsNeverRead() throws IOException {
        long huge = 2_300_000_000L;
        Original original = original(Kind.EIGENVALUES + " with updater");
        Map<String, byte[]> entries = ZipSurgery.entries(original.bytes());
        Path extra = dir.resolve("extra.zip");
        ZipSurgery.writeWithHugeEntry(extra, entries, "zeros.bin", huge, 2);
        assertTrue(Files.size(extra) > huge);
        assertTrue(CompactModelFile.isCompact(extra));
        MultiLayerNetwork read = CompactModelFile.readMultiLayerNetwork(extra);
        assertArrayEquals(original.params(), values(read.params()), "an unknown entry is ignored");
        assertArrayEquals(original.updater(), values(CompactNetworks.updaterState(read)));

        Map<String, byte[]> withoutUpdater = new LinkedHashMap<>(entries);
        withoutUpdater.remove(CompactModelFile.UPDATER);
        Path replaced = dir.resolve("replaced.zip");
        ZipSurgery.writeWithHugeEntry(replaced, withoutUpdater, CompactModelFile.UPDATER, huge, 2);
        io.github.dl4jspectral.testing.Nets.assertMessage(CompactModelException.class,
                () -> CompactModelFile.readMultiLayerNetwork(replaced),
                replaced + ": entry updaterState.bin: size = " + huge + " bytes; expected at most");
        Files.delete(extra);
        Files.delete(replaced);
    }

    private static byte[] rewritten(Map<String, byte[]> entries, String name, UnaryOperator<byte[]> change,
                                    boolean reseal) {
        Map<String, byte[]> changed = new LinkedHashMap<>(entries);
        changed.put(name, change.apply(entries.get(name).clone()));
        return ZipSurgery.zip(reseal ? ZipSurgery.resealed(changed) : changed);
    }

    private static UnaryOperator<byte[]> replace(String from, String to) {
        return bytes -> {
            String text = new String(bytes, StandardCharsets.UTF_8);
            assertTrue(text.contains(from), from);
            return text.replace(from, to).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] replaceFirst(byte[] bytes, String regex, String replacement) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        String changed = text.replaceFirst(regex, replacement);
        assertTrue(!changed.equals(text), regex);
        return changed.getBytes(StandardCharsets.UTF_8);
    }

    private static double[] values(INDArray array) {
        return array.reshape(array.length()).toDoubleVector();
    }

    private static double[] values(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }
}
