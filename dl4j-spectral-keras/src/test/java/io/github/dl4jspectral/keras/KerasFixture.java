package io.github.dl4jspectral.keras;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * A fixture of src/test/resources/keras (made by scripts/make-fixtures.py): the H5 file and Keras's float32
 * predictions on fixed inputs, stored beside it as NAME.json.
 */
record KerasFixture(Path h5, double[][] input, double[][] output) {

    static KerasFixture load(String name) {
        try (InputStream json = KerasFixture.class.getResourceAsStream("/keras/" + name + ".json")) {
            if (json == null) {
                throw new IllegalStateException("fixture " + name + ".json missing from the test resources");
            }
            JsonNode root = new ObjectMapper().readTree(json);
            return new KerasFixture(file(name + ".h5"), matrix(root.get("input")), matrix(root.get("output")));
        } catch (IOException e) {
            throw new IllegalStateException("fixture " + name + ": " + e.getMessage(), e);
        }
    }

    static Path file(String name) {
        try {
            return Path.of(KerasFixture.class.getResource("/keras/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("fixture " + name + " missing from the test resources", e);
        }
    }

    INDArray inputArray() {
        return Nd4j.create(input).castTo(DataType.FLOAT);
    }

    private static double[][] matrix(JsonNode rows) {
        double[][] m = new double[rows.size()][];
        for (int r = 0; r < m.length; r++) {
            JsonNode row = rows.get(r);
            m[r] = new double[row.size()];
            for (int c = 0; c < m[r].length; c++) {
                m[r][c] = row.get(c).asDouble();
            }
        }
        return m;
    }

    /** The largest |DL4J - Keras| over all outputs; fails on a shape mismatch. */
    double maxAbsDifference(INDArray dl4jOutput) {
        if (dl4jOutput.rows() != output.length || dl4jOutput.columns() != output[0].length) {
            throw new AssertionError("output shape " + java.util.Arrays.toString(dl4jOutput.shape()) + "; expected ["
                    + output.length + ", " + output[0].length + "]");
        }
        double max = 0;
        for (int r = 0; r < output.length; r++) {
            for (int c = 0; c < output[r].length; c++) {
                max = Math.max(max, Math.abs(dl4jOutput.getDouble(r, c) - output[r][c]));
            }
        }
        return max;
    }
}
