package io.github.dl4jspectral.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The 150 Iris flowers for the learning tests, from the {@code iris.dat} inside deeplearning4j-core (a test
 * dependency of this module; DL4J's own iterator would download it). The examples' public loader with its format
 * checks is {@code io.github.dl4jspectral.data.Iris} in dl4j-spectral-experiments, which this module cannot depend on.
 */
public final class IrisData {

    public static final int FEATURES = 4;
    public static final int CLASSES = 3;

    private IrisData() {
    }

    /** Features [150, 4] in cm and one-hot labels [150, 3], in file order. */
    public static DataSet load(DataType type) {
        double[][] rows;
        try (InputStream in = IrisData.class.getClassLoader().getResourceAsStream("iris.dat")) {
            rows = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().filter(l -> !l.isBlank())
                    .map(l -> Arrays.stream(l.split(",")).mapToDouble(Double::parseDouble).toArray())
                    .toArray(double[][]::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double[][] oneHot = new double[rows.length][CLASSES];
        for (int i = 0; i < rows.length; i++) {
            oneHot[i][(int) rows[i][FEATURES]] = 1;
        }
        double[][] features = Arrays.stream(rows).map(r -> Arrays.copyOf(r, FEATURES)).toArray(double[][]::new);
        return new DataSet(Nd4j.create(features).castTo(type), Nd4j.create(oneHot).castTo(type));
    }
}
