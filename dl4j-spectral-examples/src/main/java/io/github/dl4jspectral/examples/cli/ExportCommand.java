package io.github.dl4jspectral.examples.cli;

import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.report.AtomicFiles;
import io.github.dl4jspectral.training.Trainer;
import io.github.dl4jspectral.export.DirectSpaceExport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code export}: collapses a saved spectral model into plain DL4J DenseLayer / OutputLayer layers with
 * W = phi .* (lambdaIn - lambdaOut), checks that both give the same outputs on the test images, and saves it.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Collapse a saved spectral model into a plain DenseLayer model (W = phi .* (lambdaIn - lambdaOut)), "
                + "check both give the same outputs on the test images, and save it; the result needs only DL4J.")
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--model-file", required = true, paramLabel = "FILE", description = "The saved spectral model (from `train`, in either --format).")
    Path modelFile;

    @Option(names = "--save", paramLabel = "FILE", description = "Where to save the dense model (default: FILE-dense.zip).")
    String save;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        SavedModels.requireFile("--model-file", modelFile);
        Path file = OutputPaths.file("--save", save != null ? save
                : modelFile.toString().replaceFirst("\\.zip$", "") + "-dense.zip");
        data.validate();
        MultiLayerNetwork spectral = SavedModels.restore("--model-file", modelFile);
        MultiLayerNetwork dense = DirectSpaceExport.toDense(spectral);
        DataOptions.Data loaded = data.load();
        DataSet probe = data.test(loaded).next();
        INDArray a = spectral.output(probe.getFeatures());
        INDArray b = dense.output(probe.getFeatures());
        double maxDifference = a.sub(b).amaxNumber().doubleValue();
        AtomicFiles.write(file, out -> ModelSerializer.writeModel(dense, out, false));
        ParameterCounts before = ParameterCounts.of(spectral);
        ParameterCounts after = ParameterCounts.of(dense);
        System.out.printf("spectral: test accuracy %.4f, %,d parameters (%,d trainable)%n",
                Trainer.accuracy(spectral, data.test(loaded)), before.total(), before.trainable());
        System.out.printf("dense:    test accuracy %.4f, %,d parameters%n", Trainer.accuracy(dense, data.test(loaded)),
                after.total());
        System.out.printf("largest output difference on %d test images: %.2e%n", probe.numExamples(), maxDifference);
        System.out.println("Saved " + file + " (DenseLayer/OutputLayer only, no dl4j-spectral classes needed to load it)");
        return 0;
    }
}
