package io.github.dl4jspectral.compact;

import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files written by the version-1 writer (the first release of the format, before entry checksums) keep loading bit for
 * bit. Each {@code version1/NAME.zip} was written by {@link CompactModelFile#write(Model, Path, boolean)} from a
 * {@link CompactNetworks} network fitted 3 steps; {@code NAME.json} holds that network's configuration, parameters,
 * updater state (files written with it) and its output on {@link CompactNetworks#probe}, all recorded when the file
 * was written.
 */
class Version1FilesTest {

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(Version1FilesTest.class.getResource("version1/" + name).toURI());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"eigenvalues", "eigenvalues-updater", "eigenvectors", "eigenvectors-updater", "svd-full",
            "svd-full-updater", "eigenvalues-float-updater", "graph-svd-full-updater"})
    void aVersion1FileLoadsBitForBit(String name) throws IOException, URISyntaxException {
        Path file = fixture(name + ".zip");
        JsonNode expected = new ObjectMapper().readTree(Files.readString(fixture(name + ".json")));
        assertTrue(CompactModelFile.isCompact(file));
        assertFalse(CompactModelFile.contents(file).stream().noneMatch(StoredGroup::regenerated),
                "the file regenerates some group from its seed");
        Model read = expected.get("network").asText().equals("MultiLayerNetwork")
                ? CompactModelFile.readMultiLayerNetwork(file) : CompactModelFile.readComputationGraph(file);
        assertEquals(expected.get("network").asText(), read.getClass().getSimpleName());
        assertEquals(expected.get("configuration").asText(), CompactNetworks.configuration(read));
        assertArrayEquals(values(expected.get("params")), values(read.params()), "parameters");
        INDArray state = CompactNetworks.updaterState(read);
        if (expected.has("updaterState")) {
            assertArrayEquals(values(expected.get("updaterState")), values(state), "updater state");
        } else {
            assertEquals(0.0, state.norm1Number().doubleValue(), "a file without updater state: a fresh updater");
        }
        assertArrayEquals(values(expected.get("output")), values(CompactNetworks.output(read)), "output");
    }

    private static double[] values(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }

    private static double[] values(INDArray array) {
        return array.reshape(array.length()).toDoubleVector();
    }
}
