package io.github.dl4jspectral.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fisher's Iris data (150 flowers, 4 measurements in cm, 3 species) from the {@code iris.dat} resource
 * that ships inside DL4J's {@code deeplearning4j-core} jar, read without any download (DL4J's own
 * {@code IrisDataSetIterator} fetches it over the network).
 */
public final class Iris {

    /** Classpath resource inside deeplearning4j-core: lines "5.1,3.5,1.4,0.2,0". */
    public static final String RESOURCE = "iris.dat";
    public static final int EXAMPLES = 150;
    public static final int FEATURES = 4;
    public static final int CLASSES = 3;

    private Iris() {
    }

    /**
     * All 150 examples in file order (grouped by class): features [150, 4] (raw, in cm) and one-hot
     * labels [150, 3], both of {@code type}.
     *
     * @throws IllegalStateException if deeplearning4j-core (and so iris.dat) is not on the classpath,
     *                               or the resource is not 150 lines of 4 numbers and a class 0..2
     */
    public static DataSet load(DataType type) {
        List<String> lines = readResource();
        if (lines.size() != EXAMPLES) {
            throw new IllegalStateException(RESOURCE + ": " + lines.size() + " lines; expected " + EXAMPLES);
        }
        INDArray features = Nd4j.create(type, EXAMPLES, FEATURES);
        INDArray labels = Nd4j.zeros(type, EXAMPLES, CLASSES);
        for (int i = 0; i < EXAMPLES; i++) {
            String[] fields = lines.get(i).split(",");
            if (fields.length != FEATURES + 1) {
                throw new IllegalStateException(RESOURCE + " line " + (i + 1) + ": " + fields.length
                        + " fields; expected " + (FEATURES + 1));
            }
            for (int j = 0; j < FEATURES; j++) {
                features.putScalar(i, j, Double.parseDouble(fields[j]));
            }
            int label = Integer.parseInt(fields[FEATURES].trim());
            if (label < 0 || label >= CLASSES) {
                throw new IllegalStateException(RESOURCE + " line " + (i + 1) + ": class " + label
                        + "; expected 0.." + (CLASSES - 1));
            }
            labels.putScalar(i, label, 1.0);
        }
        return new DataSet(features, labels);
    }

    /**
     * All 150 examples of {@code type} shuffled with {@code seed}, split into {@code trainExamples} training and
     * {@code 150 - trainExamples} test examples, both standardized with the training part's mean and standard
     * deviation.
     *
     * @throws IllegalArgumentException if {@code trainExamples} is not in 1..149
     */
    public static SplitTestAndTrain standardizedSplit(DataType type, long seed, int trainExamples) {
        if (trainExamples < 1 || trainExamples >= EXAMPLES) {
            throw new IllegalArgumentException("Iris.standardizedSplit trainExamples: got " + trainExamples
                    + "; expected 1.." + (EXAMPLES - 1));
        }
        DataSet iris = load(type);
        iris.shuffle(seed);
        SplitTestAndTrain split = iris.splitTestAndTrain(trainExamples);
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(split.getTrain());
        normalizer.transform(split.getTrain());
        normalizer.transform(split.getTest());
        return split;
    }

    private static List<String> readResource() {
        InputStream in = Iris.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " not found on the classpath; expected the dependency "
                    + "org.deeplearning4j:deeplearning4j-core, which ships it");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            return reader.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
    }
}
