package io.github.dl4jspectral.examples.cli;

import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import picocli.CommandLine;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

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
        assertEquals(2, epochs.exit());
        assertEquals("error: --epochs 0; expected >= 1\n(see: spectral-demo compare --help)",
                epochs.err().strip().replace("\r", ""));

        Run model = run(small("compare", "--models", "dense,bogus"));
        assertEquals(2, model.exit());
        assertTrue(model.err().startsWith("error: unknown model \"bogus\"; expected dense, eigenvalues-out"), model.err());

        Run fraction = run(small("prune", "--fractions", "0.5,1.5"));
        assertEquals(2, fraction.exit());
        assertTrue(fraction.err().startsWith("error: --fractions 1.5; expected a fraction in [0, 1)"), fraction.err());

        Run top = run("--bogus");
        assertEquals(2, top.exit());
        assertTrue(top.err().contains("(see: spectral-demo --help)"), "the command's name once: " + top.err());

        Path nowhere = tmp.resolve("no-such-dir");
        Run dataDir = run(small("train", "--data-dir", nowhere.toString()));
        assertEquals(1, dataDir.exit());
        assertTrue(dataDir.err().contains("Fashion-MNIST directory " + nowhere), dataDir.err());
        assertEquals(1, dataDir.err().strip().lines().count(), "one line: " + dataDir.err());
    }

    @Test
    void everyArgumentIsCheckedBeforeTheDataIsRead() {
        String nowhere = tmp.resolve("no-such-dir").toString();   // reading the data would fail with exit 1
        for (String[] args : List.of(
                new String[]{"compare", "--data-dir", nowhere, "--ui-port", "99999"},
                new String[]{"train", "--data-dir", nowhere, "--train-examples", "0"},
                new String[]{"train", "--data-dir", nowhere, "--learning-rate", "-1"},
                new String[]{"prune", "--data-dir", nowhere, "--model", "bogus"},
                new String[]{"export", "--data-dir", nowhere, "--model-file", tmp.resolve("none.zip").toString()})) {
            Run r = run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(!r.err().contains("Fashion-MNIST directory"), "checked before the data: " + r.err());
        }
        Run port = run("compare", "--data-dir", nowhere, "--ui-port", "99999");
        assertTrue(port.err().startsWith("error: --ui-port 99999; expected 0..65535"), port.err());
        Run host = run("train", "--data-dir", nowhere, "--ui-host", "no-such-host.invalid");
        assertEquals(2, host.exit(), host.err());
        assertTrue(host.err().startsWith("error: --ui-host no-such-host.invalid; expected an address of this machine"),
                host.err());
    }

    /**
     * Every output path is checked before the data is read: with a --data-dir that does not exist, reading the data
     * (and so anything training) would end in exit status 1 and an error naming the directory; a saved model that
     * cannot be read stands for the model file read by prune and export.
     */
    @Test
    void everyOutputPathIsCheckedBeforeTheDataOrAModelIsRead() throws Exception {
        String nowhere = tmp.resolve("no-such-dir").toString();
        Path afile = Files.writeString(tmp.resolve("afile"), "a regular file");
        Path adir = Files.createDirectories(tmp.resolve("adir"));
        Files.createDirectories(tmp.resolve("outputs/compare.png"));
        Path garbage = Files.writeString(tmp.resolve("garbage.zip"), "not a zip");
        Files.createDirectories(tmp.resolve("garbage-dense.zip"));
        String parentIsAFile = afile + " is a regular file, not a directory; expected a file in a writable directory";
        String[][] cases = {
                {"--save " + afile.resolve("x.zip") + ": " + parentIsAFile, "train", "--save", afile.resolve("x.zip").toString()},
                {"--save " + afile.resolve("deeper/x.zip") + ": " + parentIsAFile, "train", "--model", "dense", "--save",
                        afile.resolve("deeper/x.zip").toString()},
                {"--save " + adir + ": " + adir + " is a directory; expected a file", "train", "--save", adir.toString()},
                {"--save " + adir + "/: ends with a separator, so it names a directory; expected a file name (e.g. " + adir
                        + "/model.zip)", "train", "--save", adir + "/"},
                {"--out " + afile + ": is a regular file; expected a writable directory", "compare", "--out", afile.toString()},
                {"--out " + afile.resolve("sub") + ": " + afile + " is a regular file, not a directory; expected a writable directory",
                        "compare", "--out", afile.resolve("sub").toString()},
                {"--out " + tmp.resolve("outputs") + ": " + tmp.resolve("outputs/compare.png") + " is a directory; expected a "
                        + "writable directory (created if missing) in which compare.csv and compare.png can be written",
                        "compare", "--out", tmp.resolve("outputs").toString()},
                {"--out " + afile + ": is a regular file; expected a writable directory", "prune", "--out", afile.toString()},
                {"--out " + afile + ": is a regular file; expected", "prune", "--model-file", garbage.toString(), "--out", afile.toString()},
                {"--save " + afile.resolve("x.zip") + ": " + parentIsAFile, "export", "--model-file", garbage.toString(),
                        "--save", afile.resolve("x.zip").toString()},
                {"--save " + tmp.resolve("garbage-dense.zip") + ": " + tmp.resolve("garbage-dense.zip") + " is a directory",
                        "export", "--model-file", garbage.toString()},
        };
        for (String[] c : cases) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(c, 1, c.length),
                    java.util.stream.Stream.of("--data-dir", nowhere)).toArray(String[]::new);
            Run r = run(args);
            String what = String.join(" ", args) + " -> " + r.err();
            assertEquals(2, r.exit(), what);
            assertTrue(r.err().startsWith("error: " + c[0]), what);
            assertTrue(r.err().contains("(see: spectral-demo " + c[1] + " --help)"), what);
            assertTrue(!r.err().contains("Fashion-MNIST") && !r.err().contains("cannot be read"), "nothing read: " + what);
        }
        assertEquals("a regular file", Files.readString(afile));
        try (java.util.stream.Stream<Path> left = Files.list(adir)) {
            assertEquals(0, left.count(), "nothing written into " + adir);
        }

        Path readOnly = Files.createDirectories(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        if (Files.isWritable(readOnly)) {
            System.err.println("read-only directory case skipped: this user (root) may write into a mode 0555 directory");
        } else {
            Run r = run("train", "--save", readOnly.resolve("m.zip").toString(), "--data-dir", nowhere);
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().startsWith("error: --save " + readOnly.resolve("m.zip") + ": directory " + readOnly
                    + " is not writable; expected"), r.err());
        }
    }

    /**
     * Outputs go into directories created as needed; a replaced output keeps its permission bits, a new one gets
     * those of any new file (not 0600).
     */
    @Test
    void outputsCreateTheirDirectoriesAndKeepTheModeOfTheFilesTheyReplace() throws Exception {
        Path model = tmp.resolve("new/deeper/eigenvalues.zip");
        Run train = run(small("train", "--save", model.toString()));
        assertEquals(0, train.exit(), train.err());
        String newFileMode = mode(Files.createFile(tmp.resolve("new/deeper/made-by-createFile")));
        assertEquals(newFileMode, mode(model));

        Path out = Files.createDirectories(tmp.resolve("compare-modes"));
        Path csv = Files.writeString(out.resolve("compare.csv"), "old");
        Files.setPosixFilePermissions(csv, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Run compare = run(small("compare", "--models", "dense", "--out", out.toString()));
        assertEquals(0, compare.exit(), compare.err());
        assertTrue(Files.readString(csv).startsWith("model,"), "replaced");
        assertEquals("rw-r-----", mode(csv));
        assertEquals(newFileMode, mode(out.resolve("compare.png")));
    }

    /**
     * A write the operating system fails names the file and leaves the old one: the demo runs in a child JVM whose
     * file size limit ({@code ulimit -f 16}: 16 KiB) is below the model's size, as a full disk would stop it
     * ("File too large" here, "No space left on device" there; the message is the system's).
     */
    @Test
    void aWriteTheSystemFailsNamesTheFileAndKeepsTheOldOne() throws Exception {
        Path bash = Path.of("/bin/bash");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(bash), "needs /bin/bash for ulimit");
        Path model = Files.writeString(tmp.resolve("model.zip"), "the old model");
        Path javaBinary = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder child = new ProcessBuilder(bash.toString(), "-c", "ulimit -f 16 && exec \"$0\" \"$@\"",
                javaBinary.toString(), "-XX:-UsePerfData", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                SpectralDemo.class.getName(), "train", "--model", "dense", "--hidden", "16", "--epochs", "1",
                "--train-examples", "300", "--test-examples", "100", "--save", model.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = child.start();
        String err = new String(process.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(3, java.util.concurrent.TimeUnit.MINUTES), "the demo ends");
        assertEquals(1, process.exitValue(), err);
        String last = err.strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals("error: writing " + model + ": File too large", last, err);
        assertEquals("the old model", Files.readString(model));
        try (java.util.stream.Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(model), files.toList(), "no temporary file left");
        }
    }

    private static String mode(Path file) throws java.io.IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void anUnreadableModelFileIsOneLineNamingTheFileOnceAndTheReason() throws Exception {
        Path truncated = tmp.resolve("truncated.zip");
        Files.write(truncated, new byte[]{'P', 'K', 3, 4, 20, 0, 0, 0});
        Run r = run("export", "--model-file", truncated.toString(), "--test-examples", "10");
        assertEquals(1, r.exit(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("error: --model-file " + truncated + ": cannot be read as a DL4J or compact model zip ("), err);
        assertEquals(err.indexOf(truncated.toString()), err.lastIndexOf(truncated.toString()), "path once: " + err);
    }

    @Test
    void aModelWithAnUnknownPresetIsOneLineNamingTheFileAndThePreset() throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new SpectralDenseLayer.Builder().nOut(3).activation(Activation.TANH).build())
                .layer(new SpectralOutputLayer.Builder().nOut(10).build())
                .setInputType(InputType.feedForward(784)).build());
        net.init();
        Path model = tmp.resolve("edited.zip");
        ModelSerializer.writeModel(net, model.toFile(), false);
        try (FileSystem zip = FileSystems.newFileSystem(model)) {
            Path conf = zip.getPath("configuration.json");
            String json = Files.readString(conf);
            assertTrue(json.contains("\"EIGENVALUES\""), json);
            Files.writeString(conf, json.replace("\"EIGENVALUES\"", "\"EIGENVALUES_BOGUS\""));
        }
        Run r = run("export", "--model-file", model.toString(), "--test-examples", "10");
        assertEquals(1, r.exit(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line, no JSON: " + err);
        assertTrue(err.startsWith("error: --model-file " + model) && err.contains("EIGENVALUES_BOGUS"), err);
    }

    @Test
    void aSplitWithoutImagesFailsBeforeAnythingTrains() throws Exception {
        Path dir = tmp.resolve("empty-train");
        Files.createDirectories(dir);
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(0x803, 0, 28, 28));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(0x801, 0));
        byte[] image = idx(0x803, 1, 28, 28);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), java.util.Arrays.copyOf(image, image.length + 784));
        byte[] label = idx(0x801, 1);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), java.util.Arrays.copyOf(label, label.length + 1));
        Run r = run("train", "--data-dir", dir.toString(), "--save", tmp.resolve("m.zip").toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().startsWith("error: Fashion-MNIST train split in ") && r.err().contains("0 images; expected at "
                + "least 1"), r.err());
        assertTrue(!Files.exists(tmp.resolve("m.zip")), "nothing trained or saved");
    }

    /** An IDX header: magic number and dimensions, big-endian. */
    private static byte[] idx(int magic, int... dims) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 4 * dims.length).putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
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

    @Test
    void aCompactSaveIsSmallerAndPruneAndExportReadIt() throws Exception {
        Path compact = tmp.resolve("eigenvalues-compact.zip");
        Path dl4j = tmp.resolve("eigenvalues-dl4j.zip");
        Run train = run(small("train", "--model", "eigenvalues", "--format", "compact", "--save", compact.toString()));
        assertEquals(0, train.exit(), train.err());
        Run plain = run(small("train", "--model", "eigenvalues", "--save", dl4j.toString()));
        assertEquals(0, plain.exit(), plain.err());
        assertTrue(io.github.dl4jspectral.compact.CompactModelFile.isCompact(compact));
        assertTrue(Files.size(compact) * 4 < Files.size(dl4j), Files.size(compact) + " vs " + Files.size(dl4j));

        Path out = tmp.resolve("prune-compact");
        Run prune = run(small("prune", "--model-file", compact.toString(), "--fractions", "0,0.5",
                "--scores", "eigenvalue", "--out", out.toString()));
        assertEquals(0, prune.exit(), prune.err());
        Path dense = tmp.resolve("compact-dense.zip");
        Run export = run(small("export", "--model-file", compact.toString(), "--save", dense.toString()));
        assertEquals(0, export.exit(), export.err());
        MultiLayerNetwork spectral = io.github.dl4jspectral.compact.CompactModelFile.readMultiLayerNetwork(compact);
        MultiLayerNetwork exported = ModelSerializer.restoreMultiLayerNetwork(dense.toFile());
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 784);
        assertTrue(spectral.output(x).equalsWithEps(exported.output(x), 1e-5));

        Files.write(compact, java.util.Arrays.copyOf(Files.readAllBytes(compact), 200));
        Run broken = run(small("export", "--model-file", compact.toString()));
        assertEquals(1, broken.exit(), broken.out());
        assertTrue(broken.err().contains("cannot be read as a DL4J or compact model zip"), broken.err());
    }
}
