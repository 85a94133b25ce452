package io.github.dl4jspectral.examples;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.opentest4j.AssertionFailedError;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs every Jupyter notebook under {@code dl4j-spectral-examples/notebooks} the way the JJava kernel would,
 * so a notebook that no longer compiles or runs against the freshly built jars fails the build.
 *
 * <p>For each {@code *.ipynb}: the code cells are taken in order; every {@code %maven} line must name an
 * artifact that is on this test's classpath in the version the build uses (the project version for this
 * project's artifacts, the {@code dl4j.version} property for DL4J / ND4J / DataVec, and so on, passed in
 * by surefire); the magic lines are then blanked and each cell is split into snippets with
 * {@link SourceCodeAnalysis#analyzeCompletion} and evaluated by {@link JShell}. A snippet that is rejected,
 * has compile errors, throws, or depends on something undefined fails the test with the notebook, the cell
 * index, the snippet and the diagnostics.
 *
 * <p>Before the first cell the JShell gets what JJava's start-up script gives a notebook: its default
 * imports and a {@code display(Object)} function (here a stub that prints what it was given).
 */
class NotebooksTest {

    /** Imports JJava makes before the first cell (its jjava-jshell-init.jshell). */
    private static final List<String> KERNEL_IMPORTS = List.of("java.util.*", "java.io.*", "java.math.*", "java.net.*",
            "java.util.concurrent.*", "java.util.prefs.*", "java.util.regex.*");

    /** What the stub {@code display(Object)} prints, followed by the class of the displayed object. */
    private static final String DISPLAYED = "[display] ";

    private static final String PRUNING_NOTEBOOK = "02-pruning-by-eigenvalue.ipynb";

    /** Per notebook: text its cells must print (the table headers, the rows). */
    private static final Map<String, List<String>> EXPECTED_OUTPUT = Map.of(
            "01-spectral-layer-tour.ipynb", List.of("EIGENVALUES_OUT", "EIGENVALUES ", "FULL", "trainable",
                    "W = phi .* (lambdaIn - lambdaOut)"),
            PRUNING_NOTEBOOK, List.of("pruning by EIGENVALUE", "fraction", "RANDOM", "CONNECTIVITY",
                    DISPLAYED + BufferedImage.class.getName()));

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A notebook's kernel and language names and its code cells, in order. */
    record Notebook(String name, String kernel, String language, List<Cell> cells) {
    }

    /**
     * One code cell.
     *
     * @param index  index among all cells of the notebook (markdown included), as Jupyter counts them
     * @param source the cell's source
     */
    record Cell(int index, String source) {
    }

    /** The result of running a notebook: what it printed, and the variables it left defined. */
    record Run(String output, Map<String, String> variables) {
    }

    static Path notebooksDir() {
        return Path.of(System.getProperty("notebooks.dir", "notebooks"));
    }

    static List<Path> notebookFiles() throws IOException {
        try (Stream<Path> files = Files.list(notebooksDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        }
    }

    @Test
    void thereAreAtLeastTwoNotebooks() throws IOException {
        List<Path> files = notebookFiles();
        assertTrue(files.size() >= 2, "notebooks in " + notebooksDir().toAbsolutePath() + ": " + files);
        for (String name : EXPECTED_OUTPUT.keySet()) {
            assertTrue(Files.isRegularFile(notebooksDir().resolve(name)), "missing notebook " + name);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyNotebookIsForJJavaAndDeclaresTheBuildsVersions() throws IOException {
        return notebookFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Notebook notebook = read(file);
            assertEquals("java", notebook.kernel(), notebook.name() + ": kernelspec name (JJava's is \"java\")");
            assertEquals("java", notebook.language(), notebook.name() + ": language_info name");
            assertTrue(!notebook.cells().isEmpty(), notebook.name() + ": no code cells");
            List<String> first = mavenCoordinates(notebook.cells().get(0).source());
            assertTrue(first.stream().anyMatch(c -> c.startsWith("io.github.dl4jspectral:dl4j-spectral-layers:")),
                    notebook.name() + ": the first code cell must declare %maven io.github.dl4jspectral:dl4j-spectral-layers; has "
                            + first);
            for (Cell cell : notebook.cells()) {
                for (String coordinates : mavenCoordinates(cell.source())) {
                    checkCoordinates(notebook.name() + " cell " + cell.index(), coordinates);
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyNotebookRuns() throws IOException {
        return notebookFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Notebook notebook = read(file);
            Run run = assertTimeoutPreemptively(Duration.ofMinutes(5), () -> run(notebook), notebook.name() + " took too long");
            for (String expected : EXPECTED_OUTPUT.getOrDefault(notebook.name(), List.of())) {
                assertTrue(run.output().contains(expected), notebook.name() + " did not print \"" + expected + "\"");
            }
            if (notebook.name().equals(PRUNING_NOTEBOOK)) {
                assertChartWritten(notebook.name(), run);
            }
        }));
    }

    /** The pruning notebook leaves its PNG's path in {@code chartFile}: a PNG image written by this run. */
    private static void assertChartWritten(String notebook, Run run) throws IOException {
        String value = run.variables().get("chartFile");
        assertTrue(value != null, notebook + " defines no variable chartFile; variables: " + run.variables().keySet());
        Path png = Path.of(value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
        try {
            assertTrue(Files.isRegularFile(png) && Files.size(png) > 0, notebook + ": no chart at " + png);
            BufferedImage image = ImageIO.read(png.toFile());
            assertTrue(image != null && image.getWidth() > 100 && image.getHeight() > 100,
                    notebook + ": " + png + " is not a readable chart image");
        } finally {
            // The notebook writes into a fresh temporary directory; leave nothing behind.
            Files.deleteIfExists(png);
            try (Stream<Path> rest = Files.list(png.getParent())) {
                if (rest.findAny().isEmpty()) {
                    Files.delete(png.getParent());
                }
            }
        }
    }

    // ---- the harness must fail on broken notebooks --------------------------------------------------------

    @Test
    void aCellThatDoesNotCompileFailsWithNotebookCellSnippetAndDiagnostics(@TempDir Path dir) throws IOException {
        Notebook broken = read(write(dir, "broken.ipynb", "int ok = 1;", "int x = 1;\nString s = x.length();"));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> run(broken));
        assertMessage(e, "broken.ipynb", "cell 2", "String s = x.length();", "REJECTED", "int cannot be dereferenced");
    }

    @Test
    void aCellThatThrowsFailsWithTheException(@TempDir Path dir) throws IOException {
        Notebook broken = read(write(dir, "throws.ipynb", "%maven io.github.dl4jspectral:dl4j-spectral-layers:"
                + property("project.version") + "\nimport io.github.dl4jspectral.data.Iris;",
                "var iris = Iris.load(null);\nSystem.out.println(iris);"));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> run(broken));
        assertMessage(e, "throws.ipynb", "cell 2", "Iris.load(null)", "threw");
    }

    @Test
    void aMethodUsingSomethingUndefinedFails(@TempDir Path dir) throws IOException {
        Notebook broken = read(write(dir, "undefined.ipynb", "double twice(double x) { return helper(x) * 2; }"));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> run(broken));
        assertMessage(e, "undefined.ipynb", "cell 1", "RECOVERABLE_DEFINED", "unresolved: method helper(double)");
    }

    @Test
    void aCellEndingInPrintfFails(@TempDir Path dir) throws IOException {
        Notebook broken = read(write(dir, "printf.ipynb", "System.out.printf(\"%d%n\", 42);"));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> run(broken));
        assertMessage(e, "printf.ipynb", "cell 1", "PrintStream");
    }

    @Test
    void mavenLinesMustMatchTheBuild() {
        checkCoordinates("ok", "org.nd4j:nd4j-native:jar:linux-x86_64:" + property("dl4j.version"));
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> checkCoordinates("nb cell 0", "org.deeplearning4j:deeplearning4j-core:1.0.0-M2"));
        assertMessage(e, "nb cell 0", "1.0.0-M2", property("dl4j.version"));
        e = assertThrows(AssertionFailedError.class,
                () -> checkCoordinates("nb cell 0", "io.github.dl4jspectral:dl4j-spectral-layers:0.0.1"));
        assertMessage(e, "nb cell 0", property("project.version"));
        e = assertThrows(AssertionFailedError.class, () -> checkCoordinates("nb cell 0", "com.example:unknown:1.0"));
        assertMessage(e, "com.example:unknown");
    }

    private static void assertMessage(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message lacks \"" + part + "\":\n" + e.getMessage());
        }
    }

    /** Writes a notebook with one code cell per source (and a markdown cell first, as real notebooks have). */
    private static Path write(Path dir, String name, String... codeCells) throws IOException {
        var root = JSON.createObjectNode();
        var cells = root.putArray("cells");
        cells.addObject().put("cell_type", "markdown").putArray("source").add("# test");
        for (String source : codeCells) {
            var cell = cells.addObject().put("cell_type", "code");
            var lines = cell.putArray("source");
            Arrays.stream(source.split("(?<=\n)")).forEach(lines::add);
        }
        root.put("nbformat", 4).put("nbformat_minor", 5);
        Path file = dir.resolve(name);
        JSON.writeValue(file.toFile(), root);
        return file;
    }

    // ---- reading ------------------------------------------------------------------------------------------

    static Notebook read(Path file) throws IOException {
        String name = file.getFileName().toString();
        JsonNode root = JSON.readTree(file.toFile());
        assertEquals(4, root.path("nbformat").asInt(), name + ": expected nbformat 4");
        JsonNode cells = root.path("cells");
        assertTrue(cells.isArray(), name + ": no cells array");
        List<Cell> code = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            JsonNode cell = cells.get(i);
            if ("code".equals(cell.path("cell_type").asText())) {
                code.add(new Cell(i, source(cell.path("source"))));
            }
        }
        return new Notebook(name, root.path("metadata").path("kernelspec").path("name").asText(),
                root.path("metadata").path("language_info").path("name").asText(), code);
    }

    /** nbformat stores a cell's source as one string or as a list of lines (each with its newline). */
    private static String source(JsonNode source) {
        if (source.isTextual()) {
            return source.asText();
        }
        StringBuilder s = new StringBuilder();
        source.forEach(line -> s.append(line.asText()));
        return s.toString();
    }

    // ---- %maven ---------------------------------------------------------------------------------------------

    /** The coordinates of every {@code %maven} line of a cell. */
    static List<String> mavenCoordinates(String source) {
        List<String> coordinates = new ArrayList<>();
        for (String line : source.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("%maven ")) {
                coordinates.addAll(Arrays.asList(trimmed.substring("%maven ".length()).trim().split("\\s+")));
            }
        }
        return coordinates;
    }

    /**
     * Checks one {@code %maven} argument ({@code group:artifact[:extension[:classifier]]:version}, the
     * syntax JJava's resolver accepts): the version must be the one the build uses, and the artifact must be
     * on this test's classpath, so the test runs the notebook against what a user's kernel would load.
     */
    static void checkCoordinates(String where, String coordinates) {
        String[] parts = coordinates.split(":");
        if (parts.length < 3 || parts.length > 5) {
            fail(where + ": %maven " + coordinates + "; expected group:artifact[:extension[:classifier]]:version");
        }
        String group = parts[0], artifact = parts[1], version = parts[parts.length - 1];
        String expected = expectedVersion(group, artifact);
        if (expected == null) {
            fail(where + ": %maven " + coordinates + ": no known build version for " + group + ":" + artifact
                    + "; add it to NotebooksTest.expectedVersion (and its property to the surefire configuration)");
        }
        if (!expected.equals(version)) {
            fail(where + ": %maven " + coordinates + " has version " + version + "; the build uses " + expected);
        }
        boolean onClasspath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .anyMatch(p -> p.getFileName().toString().startsWith(artifact + "-" + version)
                        || p.endsWith(Path.of(artifact, "target", "classes")));
        if (!onClasspath) {
            fail(where + ": %maven " + coordinates + " is not on the examples module's test classpath; "
                    + "add it to dl4j-spectral-examples/pom.xml so this test runs what the notebook loads");
        }
    }

    /** The build's version of an artifact a notebook may declare, or null for an unknown one. */
    private static String expectedVersion(String group, String artifact) {
        return switch (group) {
            case "io.github.dl4jspectral" -> property("project.version");
            case "org.deeplearning4j", "org.nd4j", "org.datavec" -> property("dl4j.version");
            case "org.bytedeco" -> switch (artifact) {
                case "openblas" -> property("openblas.version");
                case "javacpp" -> property("javacpp.version");
                default -> null;
            };
            case "org.jfree" -> artifact.equals("jfreechart") ? property("jfreechart.version") : null;
            default -> null;
        };
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            fail("system property " + name + " is not set; run through Maven (surefire's systemPropertyVariables "
                    + "in dl4j-spectral-examples/pom.xml set it)");
        }
        return value;
    }

    // ---- running --------------------------------------------------------------------------------------------

    /**
     * Runs the notebook's code cells in one JShell and returns what they printed.
     *
     * <p>The "local" execution engine runs the snippets in this JVM. JJava does the same (its own in-process
     * execution control), and it lets the snippets use the ND4J classes and native libraries this JVM has
     * already loaded: the snippet class loader delegates to the application class loader, which holds the
     * test classpath, so nothing is loaded twice. The remote (JDI) engine would start a second JVM per
     * notebook and load ND4J's natives again, for no gain in fidelity.
     */
    static Run run(Notebook notebook) {
        PrintStream originalOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // Snippets run in this JVM and print to System.out: keep the console output and capture a copy.
        PrintStream tee = new PrintStream(new TeeOutputStream(originalOut, captured), true, StandardCharsets.UTF_8);
        System.setOut(tee);
        try (JShell shell = JShell.builder().executionEngine("local").out(tee).err(System.err).build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    shell.addToClasspath(entry);
                }
            }
            String prelude = KERNEL_IMPORTS.stream().map(i -> "import " + i + ";\n").collect(Collectors.joining())
                    + "String display(Object o) {\n"
                    + "    System.out.println(\"" + DISPLAYED + "\" + (o == null ? \"null\" : o.getClass().getName()));\n"
                    + "    return \"display-id\";\n"
                    + "}\n";
            evalCell(shell, notebook.name() + " (kernel prelude)", prelude);
            for (Cell cell : notebook.cells()) {
                originalOut.println("---- " + notebook.name() + " cell " + cell.index());
                long start = System.nanoTime();
                evalCell(shell, notebook.name() + " cell " + cell.index(), withoutMagics(notebook.name(), cell));
                originalOut.printf("---- %.1f s%n", (System.nanoTime() - start) / 1e9);
            }
            Map<String, String> variables = shell.variables()
                    .collect(Collectors.toMap(VarSnippet::name, shell::varValue, (a, b) -> b));
            tee.flush();
            return new Run(captured.toString(StandardCharsets.UTF_8), variables);
        } finally {
            System.setOut(originalOut);
        }
    }

    /** The cell with its line magics blanked (line numbers stay); cell magics cannot be run here. */
    private static String withoutMagics(String notebook, Cell cell) {
        if (cell.source().stripLeading().startsWith("%%")) {
            fail(notebook + " cell " + cell.index() + ": cell magic " + cell.source().strip().split("\\s")[0]
                    + " is not supported by NotebooksTest; use line magics (%maven)");
        }
        return Arrays.stream(cell.source().split("\n", -1))
                .map(line -> line.trim().startsWith("%") ? "" : line)
                .collect(Collectors.joining("\n"));
    }

    /** Splits a cell into snippets as JJava does and evaluates them one by one. */
    private static void evalCell(JShell shell, String where, String source) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = source;
        Snippet last = null;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            SourceCodeAnalysis.Completeness completeness = info.completeness();
            if (completeness == SourceCodeAnalysis.Completeness.EMPTY) {
                break;
            }
            if (completeness == SourceCodeAnalysis.Completeness.UNKNOWN) {
                // Not valid Java: evaluate it anyway to get JShell's diagnostics into the failure message.
                eval(shell, where, info.source() != null ? info.source() : remaining);
                fail(where + ": JShell cannot parse\n" + remaining.strip());
            }
            if (!completeness.isComplete()) {
                fail(where + ": incomplete code at the end of the cell (" + completeness + "):\n" + remaining.strip());
            }
            last = eval(shell, where, info.source());
            remaining = info.remaining();
        }
        // JJava shows the value of a cell's last expression: after System.out.printf that is "java.io.PrintStream@..."
        if (last instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                && v.typeName().endsWith("PrintStream")) {
            fail(where + ": the cell ends with an expression of type PrintStream (printf?), which the kernel would show "
                    + "as its result; end the cell with a statement such as System.out.println(...):\n" + v.source());
        }
    }

    private static Snippet eval(JShell shell, String where, String snippetSource) {
        List<SnippetEvent> events = shell.eval(snippetSource);
        Snippet snippet = null;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue;   // a side effect on an earlier snippet (e.g. one this snippet replaces)
            }
            snippet = event.snippet();
            String diagnostics = shell.diagnostics(snippet)
                    .filter(d -> d.isError())
                    .map(d -> "  line " + lineOf(snippetSource, d.getStartPosition()) + ": " + d.getMessage(Locale.ROOT))
                    .collect(Collectors.joining("\n"));
            Snippet.Status status = event.status();
            if (status == Snippet.Status.REJECTED || !diagnostics.isEmpty()) {
                fail(where + ": snippet " + status + "\n" + snippetSource.strip() + "\ndiagnostics:\n" + diagnostics);
            }
            if (status == Snippet.Status.RECOVERABLE_NOT_DEFINED || status == Snippet.Status.RECOVERABLE_DEFINED) {
                String unresolved = snippet instanceof jdk.jshell.DeclarationSnippet d
                        ? shell.unresolvedDependencies(d).collect(Collectors.joining(", ")) : "?";
                fail(where + ": snippet " + status + ", unresolved: " + unresolved + "\n" + snippetSource.strip());
            }
            if (event.exception() != null) {
                String exception = event.exception() instanceof jdk.jshell.EvalException ee
                        ? ee.getExceptionClassName() + ": " + ee.getMessage() : event.exception().toString();
                AssertionFailedError error = new AssertionFailedError(where + ": snippet threw " + exception + "\n"
                        + snippetSource.strip());
                error.initCause(event.exception());
                throw error;
            }
        }
        return snippet;
    }

    /** The 1-based line of {@code position} in {@code source}. */
    private static long lineOf(String source, long position) {
        return source.substring(0, (int) Math.max(0, Math.min(position, source.length()))).chars()
                .filter(c -> c == '\n').count() + 1;
    }

    /** Writes everything to two streams. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeOutputStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
