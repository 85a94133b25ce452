package io.github.dl4jspectral.keras;

import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.conf.SpectralSettings;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Imports of the Keras fixtures: DL4J's outputs against Keras's stored predictions, and the layers they became. */
class SpectralKerasImportTest {

    private static final double TOLERANCE = 1e-6;

    private static MultiLayerNetwork sequential(KerasFixture fixture) throws IOException {
        MultiLayerNetwork net = SpectralKerasImport.importSequential(fixture.h5());
        double diff = fixture.maxAbsDifference(net.output(fixture.inputArray()));
        assertTrue(diff <= TOLERANCE, fixture.h5().getFileName() + ": max |DL4J - Keras| = " + diff);
        return net;
    }

    private static ComputationGraph functional(KerasFixture fixture) throws IOException {
        ComputationGraph graph = SpectralKerasImport.importFunctional(fixture.h5());
        double diff = fixture.maxAbsDifference(graph.outputSingle(fixture.inputArray()));
        assertTrue(diff <= TOLERANCE, fixture.h5().getFileName() + ": max |DL4J - Keras| = " + diff);
        return graph;
    }

    @Test
    void keras3DenseSequentialMatchesKeras() throws IOException {
        MultiLayerNetwork net = sequential(KerasFixture.load("dense_sequential_k3"));
        assertEquals(3, net.getnLayers());
        assertTrue(Arrays.stream(net.getLayers()).allMatch(l -> l.conf().getLayer() instanceof DenseLayer));
    }

    @Test
    void keras3DenseFunctionalMatchesKeras() throws IOException {
        ComputationGraph graph = functional(KerasFixture.load("dense_functional_k3"));
        List<DenseLayer> dense = layersOfType(graph, DenseLayer.class);
        assertEquals(3, dense.size());
        DenseLayer first = dense.stream().filter(l -> l.getNIn() == 20).findFirst().orElseThrow();
        assertFalse(first.hasBias(), "use_bias = false imported");
    }

    @Test
    void keras3SpectralSequentialMatchesKerasWithTheTrainableFlags() throws IOException {
        MultiLayerNetwork net = sequential(KerasFixture.load("spectral_sequential_k3"));
        SpectralDenseLayer hidden = spectral(net.getLayer(0).conf().getLayer());
        SpectralDenseLayer last = spectral(net.getLayer(1).conf().getLayer());
        // is_base_trainable = false, both diagonals trained, bias: EIGENVALUES
        assertEquals(SpectralPreset.EIGENVALUES, hidden.getSpectral().getPreset());
        assertTrue(hidden.hasBias());
        assertEquals(16, hidden.getNOut());
        // all trained, no bias: FULL
        assertEquals(SpectralPreset.FULL, last.getSpectral().getPreset());
        assertFalse(last.hasBias());
        assertEquals(4, last.getNOut());
    }

    @Test
    void keras3PackagedSpectralFunctionalMatchesKerasWithTheTrainableFlags() throws IOException {
        ComputationGraph graph = functional(KerasFixture.load("spectral_functional_k3"));
        List<SpectralDenseLayer> layers = layersOfType(graph, SpectralDenseLayer.class);
        assertEquals(2, layers.size());
        // only base trained, with bias: EIGENVECTORS
        assertEquals(SpectralPreset.EIGENVECTORS, layers.get(0).getSpectral().getPreset());
        // only diag_end trained, no bias: a custom combination with lambdaIn frozen at its stored value
        SpectralSettings second = layers.get(1).getSpectral();
        assertEquals(Set.of(SpectralParam.LAMBDA_OUT), second.trainableGroups());
        assertFalse(second.lambdaInPinnedToZero());
    }

    @Test
    void keras2SpectralSequentialMatchesKeras() throws IOException {
        MultiLayerNetwork net = sequential(KerasFixture.load("spectral_sequential_k2"));
        assertEquals(SpectralPreset.EIGENVALUES, spectral(net.getLayer(0).conf().getLayer()).getSpectral().getPreset());
        assertInstanceOf(DenseLayer.class, net.getLayer(1).conf().getLayer());
        SpectralSettings last = spectral(net.getLayer(2).conf().getLayer()).getSpectral();
        assertEquals(Set.of(SpectralParam.PHI, SpectralParam.LAMBDA_OUT), last.trainableGroups());
    }

    @Test
    void enforcedTrainingConfigurationImportsLossAndOptimizer() throws IOException {
        KerasFixture fixture = KerasFixture.load("dense_sequential_k3");
        MultiLayerNetwork net = SpectralKerasImport.importSequential(fixture.h5(), true);
        assertTrue(fixture.maxAbsDifference(net.output(fixture.inputArray())) <= TOLERANCE);
        assertInstanceOf(LossLayer.class, net.getLayer(net.getnLayers() - 1).conf().getLayer());
        Layer first = net.getLayer(0).conf().getLayer();
        assertInstanceOf(Adam.class, ((DenseLayer) first).getIUpdater());
    }

    @Test
    void spectralRegularizersAreDroppedOrRefusedWhenTrainingConfigurationIsEnforced() throws IOException {
        KerasFixture fixture = KerasFixture.load("spectral_regularized_k3");
        MultiLayerNetwork net = sequential(fixture);
        SpectralDenseLayer layer = spectral(net.getLayer(0).conf().getLayer());
        assertTrue(layer.getRegularization().isEmpty(), "regularizers dropped");
        assertTrue(layer.getConstraints() == null || layer.getConstraints().isEmpty(), "constraints dropped");
        KerasImportException e = assertThrows(KerasImportException.class,
                () -> SpectralKerasImport.importSequential(fixture.h5(), true));
        assertTrue(e.getMessage().matches(".*Spectral layer \"spectral_\\d+\": base_regularizer = .*expected null.*"),
                e.getMessage());
    }

    @Test
    void theUsersFileIsUnchangedAndNoCopyRemains() throws IOException {
        KerasFixture fixture = KerasFixture.load("spectral_functional_k3");
        byte[] before = sha256(fixture.h5());
        Set<Path> copiesBefore = temporaryCopies();
        functional(fixture);
        assertArrayEquals(before, sha256(fixture.h5()));
        assertEquals(copiesBefore, temporaryCopies());
    }

    static Set<Path> temporaryCopies() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return Set.copyOf(files.filter(p -> p.getFileName().toString().startsWith("dl4j-spectral-keras-")).toList());
        }
    }

    private static byte[] sha256(Path file) throws IOException {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The layer configurations of that type, in the graph's topological order. */
    private static <T extends Layer> List<T> layersOfType(ComputationGraph graph, Class<T> type) {
        return Arrays.stream(graph.getLayers()).map(l -> l.conf().getLayer())
                .filter(type::isInstance).map(type::cast).toList();
    }

    private static SpectralDenseLayer spectral(Layer layer) {
        return assertInstanceOf(SpectralDenseLayer.class, layer);
    }
}
