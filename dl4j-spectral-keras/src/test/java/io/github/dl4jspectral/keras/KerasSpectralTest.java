package io.github.dl4jspectral.keras;

import io.github.dl4jspectral.conf.SpectralParam;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spectral layer import: its parameters are the file's weights under the map phi = base, lambdaIn = diag_start^T,
 * lambdaOut = diag_end, b = bias, checked against the raw HDF5 datasets and against the layer's formula evaluated in
 * double precision; and its configuration checks.
 */
class KerasSpectralTest {

    private static final String GROUP = "model_weights/spectral/sequential_1/spectral";

    @Test
    void parametersAreTheStoredWeightsAndTheLayerComputesTheReferenceFormula() throws Exception {
        KerasFixture fixture = KerasFixture.load("spectral_sequential_k3");
        double[][] base;
        double[] diagStart;
        double[] diagEnd;
        double[] bias;
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            try (Hdf5Archive archive = new Hdf5Archive(fixture.h5().toString())) {
                base = archive.readDataSet("base", GROUP).toDoubleMatrix();
                diagStart = archive.readDataSet("diag_start", GROUP).toDoubleVector();
                diagEnd = archive.readDataSet("diag_end", GROUP).toDoubleVector();
                bias = archive.readDataSet("bias", GROUP).toDoubleVector();
            }
        }
        MultiLayerNetwork net = SpectralKerasImport.importSequential(fixture.h5());
        Map<String, INDArray> params = net.getLayer(0).paramTable();
        assertEquals(Map.of("phi", List.of(20L, 16L), "lambdaIn", List.of(1L, 20L), "lambdaOut", List.of(1L, 16L),
                "b", List.of(1L, 16L)), shapes(params));
        for (int j = 0; j < 20; j++) {
            assertEquals(diagStart[j], params.get(SpectralParam.LAMBDA_IN.key()).getDouble(0, j), 0.0);
            for (int i = 0; i < 16; i++) {
                assertEquals(base[j][i], params.get(SpectralParam.PHI.key()).getDouble(j, i), 0.0);
            }
        }
        for (int i = 0; i < 16; i++) {
            assertEquals(diagEnd[i], params.get(SpectralParam.LAMBDA_OUT.key()).getDouble(0, i), 0.0);
            assertEquals(bias[i], params.get(SpectralParam.BIAS.key()).getDouble(0, i), 0.0);
        }

        // relu(x @ (base * (diag_start - diag_end)) + bias), the reference layer's call, in double precision
        INDArray hidden = net.feedForward(fixture.inputArray(), false).get(1);
        double[][] x = fixture.input();
        double maxDiff = 0;
        for (int n = 0; n < x.length; n++) {
            for (int i = 0; i < 16; i++) {
                double z = bias[i];
                for (int j = 0; j < 20; j++) {
                    z += x[n][j] * base[j][i] * (diagStart[j] - diagEnd[i]);
                }
                maxDiff = Math.max(maxDiff, Math.abs(Math.max(z, 0) - hidden.getDouble(n, i)));
            }
        }
        assertTrue(maxDiff <= 1e-6, "max |DL4J - reference formula| = " + maxDiff);
    }

    private static Map<String, List<Long>> shapes(Map<String, INDArray> params) {
        Map<String, List<Long>> shapes = new HashMap<>();
        params.forEach((k, v) -> shapes.put(k, java.util.Arrays.stream(v.shape()).boxed().toList()));
        return shapes;
    }

    private static Map<String, Object> layerConfig(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put("name", "spec");
        config.put("activation", "tanh");
        config.put("use_bias", true);
        config.put("is_base_trainable", false);
        config.put("is_diag_start_trainable", true);
        config.put("is_diag_end_trainable", true);
        config.put("units", 3);
        config.putAll(overrides);
        Map<String, Object> layer = new HashMap<>();
        layer.put("class_name", "Spectral");
        layer.put("config", config);
        layer.put("keras_version", 2);
        return layer;
    }

    @Test
    void aRegularizerIsRefusedWithTheLayerAndFieldNamed() {
        Map<String, Object> regularizer = Map.of("class_name", "L2", "config", Map.of("l2", 0.01));
        UnsupportedKerasConfigurationException e = assertThrows(UnsupportedKerasConfigurationException.class,
                () -> new KerasSpectral(layerConfig(Map.of("diag_regularizer", regularizer))));
        assertTrue(e.getMessage().startsWith("Spectral layer \"spec\": diag_regularizer = "), e.getMessage());
        assertTrue(e.getMessage().contains("expected null"), e.getMessage());
    }

    @Test
    void aFlagThatIsNotBooleanIsRefused() {
        InvalidKerasConfigurationException e = assertThrows(InvalidKerasConfigurationException.class,
                () -> new KerasSpectral(layerConfig(Map.of("is_base_trainable", "yes"))));
        assertStartsWith("Spectral layer \"spec\": is_base_trainable = yes; expected true or false", e);
    }

    @Test
    void withoutUnitsTheLayerSaysWhereTheyComeFrom() {
        Map<String, Object> layer = layerConfig(Map.of());
        ((Map<?, ?>) layer.get("config")).remove("units");
        InvalidKerasConfigurationException e = assertThrows(InvalidKerasConfigurationException.class,
                () -> new KerasSpectral(layer));
        assertTrue(e.getMessage().startsWith("Spectral layer \"spec\": units = null; expected the output size"),
                e.getMessage());
    }

    @Test
    void weightsOfTheWrongShapeOrAnUnexpectedBiasAreRefused() throws Exception {
        KerasSpectral layer = new KerasSpectral(layerConfig(Map.of("use_bias", false)));
        Map<String, INDArray> weights = new HashMap<>();
        weights.put("base", org.nd4j.linalg.factory.Nd4j.zeros(4, 3));
        weights.put("diag_start", org.nd4j.linalg.factory.Nd4j.zeros(4, 1));
        weights.put("diag_end", org.nd4j.linalg.factory.Nd4j.zeros(1, 3));
        layer.setWeights(weights);
        weights.put("bias", org.nd4j.linalg.factory.Nd4j.zeros(3));
        InvalidKerasConfigurationException bias = assertThrows(InvalidKerasConfigurationException.class,
                () -> layer.setWeights(weights));
        assertStartsWith("Spectral layer \"spec\": weight bias present with use_bias = false; expected no bias", bias);
        weights.remove("bias");
        weights.put("base", org.nd4j.linalg.factory.Nd4j.zeros(4, 5));
        InvalidKerasConfigurationException shape = assertThrows(InvalidKerasConfigurationException.class,
                () -> layer.setWeights(weights));
        assertStartsWith("Spectral layer \"spec\": weight base shape = [4, 5]; expected [nIn, 3]", shape);
    }

    /** DL4J's Keras exceptions append a documentation link to the message. */
    private static void assertStartsWith(String expected, Exception e) {
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
