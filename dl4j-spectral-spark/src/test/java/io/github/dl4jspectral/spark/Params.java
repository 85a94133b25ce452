package io.github.dl4jspectral.spark;

import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A copy of every parameter of a network by key, and the checks the distributed-training tests make against it. */
record Params(Map<String, double[]> values) {

    static Params of(Model model) {
        Map<String, double[]> values = new LinkedHashMap<>();
        model.paramTable().forEach((key, array) -> values.put(key, array.dup('c').data().asDouble()));
        return new Params(values);
    }

    /** The largest absolute change of parameter {@code key} from this copy to {@code model}'s value. */
    double maxChange(Model model, String key) {
        double[] before = values.get(key);
        double[] after = model.getParam(key).dup('c').data().asDouble();
        assertEquals(before.length, after.length, key);
        double max = 0;
        for (int i = 0; i < before.length; i++) {
            max = Math.max(max, Math.abs(after[i] - before[i]));
        }
        return max;
    }

    /** Parameter {@code key} of {@code model} has exactly (bit for bit) its value in this copy. */
    void assertUnchanged(Model model, String key) {
        INDArray after = model.getParam(key);
        assertArrayEquals(values.get(key), after.dup('c').data().asDouble(), key + " changed");
    }

    /** Parameter {@code key} of {@code model} moved by more than {@code atLeast} somewhere. */
    void assertMoved(Model model, String key, double atLeast) {
        double change = maxChange(model, key);
        assertTrue(change > atLeast, key + " moved by at most " + change + "; expected more than " + atLeast);
    }
}
