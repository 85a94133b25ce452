package io.github.dl4jspectral.examples;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The code the documentation shows runs. Every {@code ```java} block of README.md and docs/*.md is compiled with
 * javax.tools against this module's test classpath, as the body of a {@code static void run() throws Exception}
 * method with the imports of {@link #IMPORTS} (its own {@code import} lines are moved in front of the class), and
 * run; a {@code ```java from=PATH} block must appear, line for line, in the source file PATH (the build compiles
 * it). Every {@code ```bash} block names who runs it: a {@code # run by: NAME} comment (a test class of the
 * project, or {@code .ci/run}) or a {@code # needs: RESOURCE} comment for what CI lacks. Failures name the file and
 * line of the Markdown. The conventions are stated for writers at the top of docs/README.md.
 */
class DocSnippetsTest {

    /** What every {@code ```java} block may use without importing it; docs/README.md lists the same. */
    static final List<String> IMPORTS = List.of(
            "java.io.*", "java.nio.file.*", "java.util.*",
            "org.deeplearning4j.nn.conf.*", "org.deeplearning4j.nn.conf.inputs.InputType",
            "org.deeplearning4j.nn.conf.layers.DenseLayer", "org.deeplearning4j.nn.conf.layers.OutputLayer",
            "org.deeplearning4j.nn.multilayer.MultiLayerNetwork", "org.deeplearning4j.nn.graph.ComputationGraph",
            "org.deeplearning4j.nn.weights.WeightInit", "org.deeplearning4j.util.ModelSerializer",
            "org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator", "io.github.dl4jspectral.data.Iris",
            "org.nd4j.linalg.api.buffer.DataType", "org.nd4j.linalg.dataset.SplitTestAndTrain",
            "org.nd4j.evaluation.classification.Evaluation", "org.nd4j.linalg.activations.Activation",
            "org.nd4j.linalg.api.ndarray.INDArray", "org.nd4j.linalg.factory.Nd4j",
            "org.nd4j.linalg.dataset.DataSet", "org.nd4j.linalg.dataset.api.iterator.DataSetIterator",
            "org.nd4j.linalg.learning.config.Adam", "org.nd4j.linalg.lossfunctions.LossFunctions",
            "io.github.dl4jspectral.conf.*", "io.github.dl4jspectral.count.*", "io.github.dl4jspectral.compact.*",
            "io.github.dl4jspectral.export.*", "io.github.dl4jspectral.pruning.*",
            "io.github.dl4jspectral.samediff.*", "io.github.dl4jspectral.spectralize.*");

    private static final Pattern FENCE = Pattern.compile("^```(\\S*)\\s*(.*)$");
    private static final Pattern RUN_BY = Pattern.compile("^#\\s*run by:\\s*(\\S+)");
    private static final Pattern NEEDS = Pattern.compile("^#\\s*needs:\\s*\\S");

    /** One fenced block: the file and 1-based line of its first code line, its language, attributes and lines. */
    record Block(String file, int line, String language, String attributes, List<String> lines) {
        String where() {
            return file + ":" + line;
        }
    }

    @TempDir
    Path classes;

    @TestFactory
    Stream<DynamicTest> javaBlocksCompileAndRun() throws IOException {
        List<Block> runnable = blocks("java").stream().filter(b -> b.attributes().isEmpty()).toList();
        assertFalse(runnable.isEmpty(), "no ```java block found in " + documents());
        Map<String, String> errors = compile(runnable, classes);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < runnable.size(); i++) {
            Block block = runnable.get(i);
            String className = className(i);
            tests.add(DynamicTest.dynamicTest(block.where(), () -> {
                if (errors.containsKey(className)) {
                    fail(errors.get(className));
                }
                run(block, className, classes);
            }));
        }
        return tests.stream();
    }

    @Test
    void javaBlocksFromSourcesMatchTheirSources() throws IOException {
        Path root = root();
        for (Block block : blocks("java")) {
            if (block.attributes().isEmpty()) {
                continue;
            }
            Matcher from = Pattern.compile("^from=(\\S+)$").matcher(block.attributes());
            assertTrue(from.matches(), block.where() + ": ```java " + block.attributes()
                    + "; expected nothing or from=PATH after java");
            Path source = root.resolve(from.group(1));
            assertTrue(Files.isRegularFile(source), block.where() + ": from=" + from.group(1) + " is not a file");
            String text = stripped(Files.readAllLines(source, StandardCharsets.UTF_8));
            assertTrue(text.contains(stripped(block.lines())), block.where() + ": the block is not, line for line, "
                    + "in " + from.group(1) + "; copy it from there again");
        }
    }

    @Test
    void bashBlocksNameWhoRunsThem() throws IOException {
        Path root = root();
        for (Block block : blocks("bash")) {
            boolean needs = block.lines().stream().anyMatch(l -> NEEDS.matcher(l.strip()).find());
            List<String> runners = block.lines().stream().map(l -> RUN_BY.matcher(l.strip()))
                    .filter(Matcher::find).map(m -> m.group(1)).toList();
            assertTrue(needs || !runners.isEmpty(), block.where()
                    + ": a ```bash block without '# run by: TEST' or '# needs: RESOURCE'; expected one of them");
            for (String runner : runners) {
                assertTrue(runnerExists(root, runner), block.where() + ": # run by: " + runner
                        + "; expected .ci/run or the name of a test class of the project");
            }
        }
    }

    /** The reporting itself: a block that does not compile fails with its file and line. */
    @Test
    void aBrokenBlockIsReportedAtItsMarkdownLine() throws IOException {
        Block broken = new Block("docs/example.md", 7, "java", "",
                List.of("int fine = 1;", "MultiLayerNetwork net = notAMethod();"));
        Map<String, String> errors = compile(List.of(broken), classes);
        String message = errors.get(className(0));
        assertTrue(message != null && message.contains("docs/example.md:8"), String.valueOf(message));
    }

    @Test
    void blocksAreFoundWithTheirLines() {
        List<Block> found = parse("x.md", List.of("text", "```java", "int a = 1;", "```", "```bash", "# needs: GPU",
                "mvn -Pcuda package", "```"));
        assertEquals(List.of(new Block("x.md", 3, "java", "", List.of("int a = 1;")),
                new Block("x.md", 6, "bash", "", List.of("# needs: GPU", "mvn -Pcuda package"))), found);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Path root() {
        return Path.of(System.getProperty("reactor.dir", "..")).toAbsolutePath().normalize();
    }

    private static List<Path> documents() throws IOException {
        Path root = root();
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    private static List<Block> blocks(String language) throws IOException {
        Path root = root();
        List<Block> blocks = new ArrayList<>();
        for (Path file : documents()) {
            String name = root.relativize(file).toString().replace(File.separatorChar, '/');
            parse(name, Files.readAllLines(file, StandardCharsets.UTF_8)).stream()
                    .filter(b -> b.language().equals(language)).forEach(blocks::add);
        }
        return blocks;
    }

    static List<Block> parse(String file, List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < lines.size() && !lines.get(end).startsWith("```")) {
                end++;
            }
            if (end == lines.size()) {
                fail(file + ":" + (i + 1) + ": a code block that is never closed; expected a line ```");
            }
            blocks.add(new Block(file, start + 1, open.group(1), open.group(2).strip(),
                    List.copyOf(lines.subList(start, end))));
            i = end;
        }
        return blocks;
    }

    private static String className(int index) {
        return "DocSnippet" + index;
    }

    private static int headerLines(Block block) {
        return IMPORTS.size() + imports(block).size() + 2;
    }

    private static List<String> imports(Block block) {
        return block.lines().stream().filter(l -> l.startsWith("import ")).toList();
    }

    /** The compilation unit of a block: imports, then the class, then the body (imports blanked, lines kept). */
    private static String source(Block block, String className) {
        StringBuilder s = new StringBuilder();
        IMPORTS.forEach(i -> s.append("import ").append(i).append(";\n"));
        imports(block).forEach(i -> s.append(i).append('\n'));
        s.append("public class ").append(className).append(" {\n");
        s.append("public static void run() throws Exception {\n");
        block.lines().forEach(l -> s.append(l.startsWith("import ") ? "" : l).append('\n'));
        s.append("}\n}\n");
        return s.toString();
    }

    /** Compiles every block in one javac call; the error messages by class name, each at its Markdown line. */
    private static Map<String, String> compile(List<Block> blocks, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertTrue(javac != null, "no system Java compiler: the tests must run on a JDK");
        List<JavaFileObject> units = new ArrayList<>();
        Map<String, Block> byClass = new LinkedHashMap<>();
        for (int i = 0; i < blocks.size(); i++) {
            String name = className(i);
            byClass.put(name, blocks.get(i));
            String code = source(blocks.get(i), name);
            units.add(new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                }
            });
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        javac.getTask(null, null, diagnostics, List.of("-d", out.toString(), "-classpath", classpath,
                "-proc:none", "-nowarn", "-Xlint:none"), null, units).call();
        Map<String, String> errors = new LinkedHashMap<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR || d.getSource() == null) {
                continue;
            }
            String name = Path.of(d.getSource().toUri().getPath()).getFileName().toString().replace(".java", "");
            Block block = byClass.get(name);
            long line = block.line() + d.getLineNumber() - headerLines(block) - 1;
            errors.merge(name, block.file() + ":" + line + ": " + d.getMessage(Locale.ROOT),
                    (a, b) -> a + "\n" + b);
        }
        return errors;
    }

    private static void run(Block block, String className, Path classes) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()},
                DocSnippetsTest.class.getClassLoader())) {
            try {
                loader.loadClass(className).getMethod("run").invoke(null);
            } catch (InvocationTargetException e) {
                AssertionError error = new AssertionError(block.where() + ": the block threw "
                        + e.getCause() + at(e.getCause(), block, className), e.getCause());
                throw error;
            }
        }
    }

    /** Where in the block a throwable came from, when its stack passes through the block's code. */
    private static String at(Throwable t, Block block, String className) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(className) && e.getLineNumber() > 0) {
                return " at " + block.file() + ":" + (block.line() + e.getLineNumber() - headerLines(block) - 1);
            }
        }
        return "";
    }

    private static String stripped(List<String> lines) {
        StringBuilder s = new StringBuilder();
        for (String line : lines) {
            if (!line.isBlank()) {
                s.append(line.strip()).append('\n');
            }
        }
        return s.toString();
    }

    private static boolean runnerExists(Path root, String runner) {
        if (runner.equals(".ci/run")) {
            return Files.isRegularFile(root.resolve(".ci/run"));
        }
        try (Stream<Path> modules = Files.list(root)) {
            return modules.map(m -> m.resolve("src/test")).filter(Files::isDirectory).anyMatch(tests -> {
                try (Stream<Path> files = Files.walk(tests)) {
                    return files.anyMatch(p -> p.getFileName().toString().equals(runner + ".java"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
