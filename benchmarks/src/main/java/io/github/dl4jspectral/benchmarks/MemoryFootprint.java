package io.github.dl4jspectral.benchmarks;

import io.github.dl4jspectral.compact.CompactModelFile;
import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.report.AtomicFiles;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Memory of each {@link Variant} of the 784 - 500 - 10 network, against the DenseLayer network: parameters
 * (stored and trainable), the updater state (DL4J's {@code getUpdater().getStateViewArray()}: Adam's two
 * moments of every parameter that has an updater; frozen groups have a NoOp updater and no state) and the size of
 * the file {@code ModelSerializer.writeModel} writes, with and without the updater, and that of the compact model file
 * ({@link CompactModelFile}: frozen random groups as seeds), with and without the updater. Each network takes one fit
 * step on a fixed random batch first, so the updater state exists and is non-trivial. Deterministic: one run.
 *
 * <p>Writes benchmarks/results/memory.csv and benchmarks/results/memory.md and prints the markdown table.
 * Usage: {@code MemoryFootprint}, or {@code InterleavedRounds memory}.
 */
public final class MemoryFootprint {

    /** The figures of one variant. */
    record Row(Variant variant, long params, long trainable, long updaterElements, long updaterBytes,
               long fileWithUpdater, long fileWithoutUpdater, long compactWithUpdater, long compactWithoutUpdater) {
    }

    private MemoryFootprint() {
    }

    /** Measures every variant; see the class comment. */
    public static void main(String[] args) throws IOException {
        Shape shape = Shape.MNIST;
        List<Row> rows = new ArrayList<>();
        Path dir = Files.createTempDirectory("dl4j-spectral-memory");
        try {
            for (Variant variant : Variant.values()) {
                rows.add(measure(variant, shape, dir));
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        Row dense = rows.get(0);
        Path csv = Path.of("benchmarks/results/memory.csv");
        StringWriter csvText = new StringWriter();
        try (PrintWriter out = new PrintWriter(csvText)) {
            out.println("variant,params,trainable,updater_elements,updater_bytes,file_bytes_with_updater,"
                    + "file_bytes_without_updater,updater_ratio_to_dense,file_with_updater_ratio_to_dense,"
                    + "file_without_updater_ratio_to_dense,compact_bytes_with_updater,compact_bytes_without_updater,"
                    + "compact_with_updater_ratio_to_dense,compact_without_updater_ratio_to_dense");
            for (Row r : rows) {
                out.printf(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%.4f,%.4f,%.4f,%d,%d,%.4f,%.4f%n", r.variant(), r.params(),
                        r.trainable(), r.updaterElements(), r.updaterBytes(), r.fileWithUpdater(), r.fileWithoutUpdater(),
                        ratio(r.updaterBytes(), dense.updaterBytes()), ratio(r.fileWithUpdater(), dense.fileWithUpdater()),
                        ratio(r.fileWithoutUpdater(), dense.fileWithoutUpdater()), r.compactWithUpdater(),
                        r.compactWithoutUpdater(), ratio(r.compactWithUpdater(), dense.fileWithUpdater()),
                        ratio(r.compactWithoutUpdater(), dense.fileWithoutUpdater()));
            }
        }
        AtomicFiles.writeString(csv, csvText.toString());
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT,
                "%d - %d tanh - %d softmax, float, Adam, after one fit step (batch %d):%n%n", shape.nIn(), shape.hidden(),
                shape.nOut(), shape.batch()));
        t.append("| variant | parameters stored | trainable | updater state: elements | bytes | x DENSE "
                + "| model file with updater: bytes | x DENSE | without updater: bytes | x DENSE "
                + "| compact file with updater: bytes | x DENSE | without updater: bytes | x DENSE |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            t.append(String.format(Locale.ROOT,
                    "| %s | %,d | %,d | %,d | %,d | %.3f | %,d | %.3f | %,d | %.3f | %,d | %.3f | %,d | %.3f |%n",
                    r.variant(), r.params(), r.trainable(), r.updaterElements(), r.updaterBytes(),
                    ratio(r.updaterBytes(), dense.updaterBytes()), r.fileWithUpdater(),
                    ratio(r.fileWithUpdater(), dense.fileWithUpdater()), r.fileWithoutUpdater(),
                    ratio(r.fileWithoutUpdater(), dense.fileWithoutUpdater()), r.compactWithUpdater(),
                    ratio(r.compactWithUpdater(), dense.fileWithUpdater()), r.compactWithoutUpdater(),
                    ratio(r.compactWithoutUpdater(), dense.fileWithoutUpdater())));
        }
        Path md = Path.of("benchmarks/results/memory.md");
        AtomicFiles.writeString(md, t.toString());
        System.out.println(t);
        System.out.println("written: " + csv + ", " + md);
    }

    private static Row measure(Variant variant, Shape shape, Path dir) throws IOException {
        MultiLayerNetwork net = variant.network(shape.nIn(), shape.hidden(), shape.nOut());
        Nd4j.getRandom().setSeed(7);
        INDArray features = Nd4j.rand(shape.batch(), shape.nIn());
        INDArray labels = Nd4j.zeros(shape.batch(), shape.nOut());
        for (int i = 0; i < shape.batch(); i++) {
            labels.putScalar(i, i % shape.nOut(), 1.0);
        }
        net.fit(features, labels);
        Updater updater = net.getUpdater();
        INDArray state = updater == null ? null : updater.getStateViewArray();
        long elements = state == null ? 0 : state.length();
        long bytes = state == null ? 0 : elements * state.dataType().width();
        File with = dir.resolve(variant + "-with-updater.zip").toFile();
        File without = dir.resolve(variant + "-without-updater.zip").toFile();
        ModelSerializer.writeModel(net, with, true);
        ModelSerializer.writeModel(net, without, false);
        Path compactWith = dir.resolve(variant + "-compact-with-updater.zip");
        Path compactWithout = dir.resolve(variant + "-compact-without-updater.zip");
        CompactModelFile.write(net, compactWith, true);
        CompactModelFile.write(net, compactWithout, false);
        return new Row(variant, net.numParams(), ParameterCounts.of(net).trainable(), elements, bytes, with.length(),
                without.length(), Files.size(compactWith), Files.size(compactWithout));
    }

    private static double ratio(long value, long reference) {
        return reference == 0 ? Double.NaN : (double) value / reference;
    }
}
