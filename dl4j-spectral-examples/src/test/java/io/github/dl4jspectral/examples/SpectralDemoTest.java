package io.github.dl4jspectral.examples;

import io.github.dl4jspectral.examples.cli.SpectralDemo;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo command line: help, one-line errors, and compare / train / prune / export on a slice of the bundled subset. */
class SpectralDemoTest {

    @TempDir
    Path tmp;

    /** Exit code, standard output of picocli (usage) and standard error. */
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SpectralDemo.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static final String[] SMALL = {"--train-examples", "600", "--test-examples", "200", "--hidden", "16",
            "--epochs", "1", "--batch-size", "100"};

    private static String[] small(String... args) {
        String[] all = new String[args.length + SMALL.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(SMALL, 0, all, args.length, SMALL.length);
        return all;
    }

    @Test
    void helpNamesEverySubcommandAndExplainsTheOptions() {
        Run top = run("--help");
        assertEquals(0, top.exit());
        for (String sub : List.of("compare", "train", "prune", "export")) {
            assertTrue(top.out().contains(sub), top.out());
        }
        Run compare = run("compare", "--help");
        assertEquals(0, compare.exit());
        for (String option : List.of("--models", "--full", "--data-dir", "--epochs", "--ui", "--ui-port", "--out")) {
            assertTrue(compare.out().contains(option), option + " missing from\n" + compare.out());
        }
    }

    @Test
    void badArgumentsGiveOneLineErrorsNamingTheOption() {
        Run unknownOption = run("compare", "--bogus");
        assertEquals(2, unknownOption.exit());
        assertTrue(unknownOption.err().startsWith("error: Unknown option: '--bogus'"), unknownOption.err());

        Run missing = run("export");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("--model-file"), missing.err());

        Run epochs = run("compare", "--epochs", "0");
        assertEquals(1, epochs.exit());
        assertEquals("error: --epochs 0; expected >= 1", epochs.err().strip());

        Run model = run(small("compare", "--models", "dense,bogus"));
        assertEquals(1, model.exit());
        assertTrue(model.err().startsWith("error: unknown model \"bogus\"; expected dense, eigenvalues-out"), model.err());

        Run fraction = run(small("prune", "--fractions", "0.5,1.5"));
        assertEquals(1, fraction.exit());
        assertEquals("error: --fractions 1.5; expected a fraction in [0, 1)", fraction.err().strip());

        Path nowhere = tmp.resolve("no-such-dir");
        Run dataDir = run(small("train", "--data-dir", nowhere.toString()));
        assertEquals(1, dataDir.exit());
        assertTrue(dataDir.err().contains("Fashion-MNIST directory " + nowhere), dataDir.err());
        assertEquals(1, dataDir.err().strip().lines().count(), "one line: " + dataDir.err());
    }

    @Test
    void compareWritesOneRowPerModelAndAChart() throws Exception {
        Path out = tmp.resolve("compare");
        Run compare = run(small("compare", "--models", "dense,eigenvalues,low-rank-4", "--out", out.toString()));
        assertEquals(0, compare.exit(), compare.err());
        List<String> csv = Files.readAllLines(out.resolve("compare.csv"));
        assertEquals("model,learning_rate,test_accuracy,trainable_parameters,total_parameters,seconds_per_epoch", csv.get(0));
        assertEquals(4, csv.size());
        String[] dense = csv.get(1).split(",");
        assertEquals("dense", dense[0]);
        assertEquals(String.valueOf(784 * 16 + 16 + 16 * 10 + 10), dense[3]);
        String[] eigenvalues = csv.get(2).split(",");
        assertEquals(String.valueOf(784 + 16 + 16 + 16 + 10 + 10), eigenvalues[3], "lambdaIn, lambdaOut and bias of both maps");
        double accuracy = Double.parseDouble(dense[2]);
        assertTrue(accuracy > 0.3 && accuracy <= 1, "one epoch on 600 images beats chance (0.1): " + accuracy);
        BufferedImage png = ImageIO.read(out.resolve("compare.png").toFile());
        assertNotNull(png);
        assertEquals(900, png.getWidth());
    }

    @Test
    void compareRunsThePapersBlocksAndTheMagnitudeRule() throws Exception {
        Path out = tmp.resolve("compare-paper");
        Run compare = run(small("compare", "--models", "svd,qr,magnitude-0.9,magnitude-dense-0.9", "--out", out.toString()));
        assertEquals(0, compare.exit(), compare.err());
        List<String> csv = Files.readAllLines(out.resolve("compare.csv"));
        assertEquals(5, csv.size());
        String[] svd = csv.get(1).split(",");
        assertEquals("svd", svd[0]);
        // s (k = 16, then 10), both eigenvalue sets and the bias of both maps
        assertEquals(String.valueOf((16 + 784 + 16 + 16) + (10 + 16 + 10 + 10)), svd[3]);
        assertEquals("magnitude-dense-0.9", csv.get(4).split(",")[0]);
    }

    @Test
    void trainThenPruneThenExportASavedModel() throws Exception {
        Path model = tmp.resolve("full.zip");
        Run train = run(small("train", "--model", "full", "--save", model.toString()));
        assertEquals(0, train.exit(), train.err());
        assertTrue(Files.size(model) > 0);

        Path out = tmp.resolve("prune");
        Run prune = run(small("prune", "--model-file", model.toString(), "--fractions", "0,0.5",
                "--scores", "eigenvalue,random", "--out", out.toString()));
        assertEquals(0, prune.exit(), prune.err());
        List<String> rows = Files.readAllLines(out.resolve("prune.csv"));
        assertEquals(5, rows.size(), String.join("\n", rows));
        assertTrue(rows.stream().anyMatch(r -> r.startsWith("EIGENVALUE,0.5")), String.join("\n", rows));
        assertNotNull(ImageIO.read(out.resolve("prune.png").toFile()));

        Path dense = tmp.resolve("full-dense.zip");
        Run export = run(small("export", "--model-file", model.toString(), "--save", dense.toString()));
        assertEquals(0, export.exit(), export.err());
        MultiLayerNetwork exported = ModelSerializer.restoreMultiLayerNetwork(dense.toFile());
        assertInstanceOf(DenseLayer.class, exported.getLayer(0).conf().getLayer());
        MultiLayerNetwork spectral = ModelSerializer.restoreMultiLayerNetwork(model.toFile());
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 784);
        assertTrue(spectral.output(x).equalsWithEps(exported.output(x), 1e-5));
    }
}
