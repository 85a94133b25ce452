package io.github.dl4jspectral.testing;

import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralParam;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.function.Executable;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test helpers: data, parameter access and bookkeeping shared by the test classes of this module and, through its
 * test jar, of the other modules.
 */
public final class Nets {

    private Nets() {
    }

    /** Uniform random features in [-1, 1). */
    public static INDArray features(DataType type, long seed, int rows, int cols) {
        Random r = new Random(seed);
        INDArray x = Nd4j.create(type, rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                x.putScalar(i, j, 2 * r.nextDouble() - 1);
            }
        }
        return x;
    }

    /** One-hot labels of random classes. */
    public static INDArray oneHot(DataType type, long seed, int rows, int classes) {
        Random r = new Random(seed);
        INDArray y = Nd4j.zeros(type, rows, classes);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, r.nextInt(classes), 1.0);
        }
        return y;
    }

    /** Network parameter keys ("0_phi", "hidden_lambdaIn") of frozen spectral groups. */
    public static Set<String> frozenKeys(Map<String, INDArray> paramTable, Map<String, Layer> layersById) {
        Set<String> frozen = new HashSet<>();
        for (String key : paramTable.keySet()) {
            int split = key.lastIndexOf('_');
            Layer layer = layersById.get(key.substring(0, split));
            String param = key.substring(split + 1);
            if (layer instanceof SpectralLayerConfig s
                    && !s.getSpectral().trains(SpectralParam.forKey(param).orElseThrow())) {
                frozen.add(key);
            }
        }
        return frozen;
    }

    public static Set<String> frozenKeys(MultiLayerNetwork net) {
        Map<String, Layer> layers = new HashMap<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            layers.put(String.valueOf(i), net.getLayer(i).conf().getLayer());
        }
        return frozenKeys(net.paramTable(), layers);
    }

    public static Set<String> frozenKeys(ComputationGraph graph) {
        Map<String, Layer> layers = new HashMap<>();
        for (org.deeplearning4j.nn.api.Layer l : graph.getLayers()) {
            layers.put(l.conf().getLayer().getLayerName(), l.conf().getLayer());
        }
        return frozenKeys(graph.paramTable(), layers);
    }

    /** Deep copies of all parameters. */
    public static Map<String, INDArray> snapshot(Map<String, INDArray> paramTable) {
        Map<String, INDArray> copy = new HashMap<>();
        paramTable.forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    /** Deep copies of all parameters of {@code model}, by network parameter key ("0_phi", "hidden_b"). */
    public static Map<String, INDArray> snapshot(Model model) {
        return snapshot(model.paramTable());
    }

    /** The largest absolute change of parameter {@code key} from its value in {@code snapshot} to {@code model}'s. */
    public static double maxChange(Map<String, INDArray> snapshot, Model model, String key) {
        double[] before = snapshot.get(key).dup('c').data().asDouble();
        double[] after = model.getParam(key).dup('c').data().asDouble();
        assertEquals(before.length, after.length, key);
        double max = 0;
        for (int i = 0; i < before.length; i++) {
            max = Math.max(max, Math.abs(after[i] - before[i]));
        }
        return max;
    }

    /** Parameter {@code key} of {@code model} has exactly (bit for bit) its value in {@code snapshot}. */
    public static void assertUnchanged(Map<String, INDArray> snapshot, Model model, String key) {
        assertArrayEquals(snapshot.get(key).dup('c').data().asDouble(), model.getParam(key).dup('c').data().asDouble(),
                key + " changed");
    }

    /** Parameter {@code key} of {@code model} moved from its value in {@code snapshot} by more than {@code atLeast}. */
    public static void assertMoved(Map<String, INDArray> snapshot, Model model, String key, double atLeast) {
        double change = maxChange(snapshot, model, key);
        assertTrue(change > atLeast, key + " moved by at most " + change + "; expected more than " + atLeast);
    }

    /** Asserts that {@code action} throws {@code type} with a message containing every one of {@code parts}. */
    public static void assertMessage(Class<? extends Exception> type, Executable action, String... parts) {
        Exception e = assertThrows(type, action);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message \"" + e.getMessage() + "\" lacks \"" + part + "\"");
        }
    }

    /** All 150 Iris flowers in double precision, shuffled with {@code seed}, each feature standardized. */
    public static DataSet standardizedIris(long seed) {
        DataSet iris = IrisData.load(DataType.DOUBLE);
        iris.shuffle(seed);
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(iris);
        normalizer.transform(iris);
        return iris;
    }

    /** A global configuration in double precision with the given seed. */
    public static NeuralNetConfiguration.Builder doubles(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE);
    }

    /** Every element of {@code actual} within 1e-10 of the largest |expected| of {@code expected}. */
    public static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.length(), actual.length(), what);
        double[] e = expected.reshape(expected.length()).toDoubleVector();
        double[] a = actual.reshape(actual.length()).toDoubleVector();
        double scale = 0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-10 * Math.max(scale, 1e-300), what + " element " + i);
        }
    }
}
