package io.github.dl4jspectral.examples.notebooks;

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
 * <p>For each {@code *.ipynb}: the code cells are taken in order; the notebook must have exactly one
 * {@code %maven} line, in its first code cell, naming {@code io.github.dl4jspectral:dl4j-spectral-notebook} in the
 * project's version (the artifact made for notebooks; this module's tests have it on their classpath, and
 * {@code NotebookDependenciesTest} checks what it brings); the magic lines are then blanked and each cell is split
 * into snippets with {@link SourceCodeAnalysis#analyzeCompletion} and evaluated by {@link JShell}. A snippet that
 * is rejected, has compile errors, throws, or depends on something undefined fails the test with the notebook,
 * the cell index, the snippet and the diagnostics. So does a cell whose last snippet the kernel would echo as
 * noise: a {@code PrintStream} (after {@code printf}) or the id {@code display(...)} returns.
 *
 * <p>Before the first cell the JShell gets what JJava's start-up script gives a notebook: its default
 * imports and a {@code display(Object)} function (here a stub that prints what it was given and, like JJava's,
 * returns a display id).
 */
class NotebooksTest {

    /** Imports JJava makes before the first cell (its jjava-jshell-init.jshell). */
    private static final List<String> KERNEL_IMPORTS = List.of("java.util.*", "java.io.*", "java.math.*", "java.net.*",
            "java.util.concurrent.*", "java.util.prefs.*", "java.util.regex.*");

    /** What the stub {@code display(Object)} prints, followed by the class of the displayed object. */
    private static final String DISPLAYED = "[display] ";

    /** What the stub {@code display(Object)} returns, as JJava's returns the new display's id. */
    private static final String DISPLAY_ID = "display-id-0";

    /** The one dependency a notebook declares. */
    static final String NOTEBOOK_ARTIFACT = "io.github.dl4jspectral:dl4j-spectral-notebook";

    private static final String PRUNING_NOTEBOOK = "02-pruning-by-eigenvalue.ipynb";

    /** Per notebook: text its cells must print (the table headers, the rows). */
    private static final Map<String, List<String>> EXPECTED_OUTPUT = Map.of(
            "01-spectral-layer-tour.ipynb", List.of("EIGENVALUES_OUT", "EIGENVALUES ", "FULL", "trainable",
                    "W = phi .* (lambdaIn - lambdaOut)"),
            PRUNING_NOTEBOOK, List.of("pruning by EIGENVALUE", "fraction", "RANDOM", "CONNECTIVITY",
                    DISPLAYED + BufferedImage.class.getName()),
            "03-bring-your-trained-network.ipynb", List.of("trained dense network: test accuracy",
                    "largest output difference", "after 30 eigenvalue steps",
                    "exported: DenseLayer with 16 hidden nodes"));

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

    /** The JJava notebooks (not the generated rapaio variants in their subdirectory). */
    static List<Path> notebookFiles() throws IOException {
        return RapaioNotebooks.jjavaNotebooks(notebooksDir());
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
    Stream<DynamicTest> everyNotebookIsForJJavaAndDeclaresOnlyTheNotebookArtifact() throws IOException {
        return notebookFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Notebook notebook = read(file);
            assertEquals("java", notebook.kernel(), notebook.name() + ": kernelspec name (JJava's is \"java\")");
            assertEquals("java", notebook.language(), notebook.name() + ": language_info name");
            checkCoordinates(notebook.name(), dependencyLine(notebook));
        }));
    }

    /**
     * The coordinates of the notebook's one {@code %maven} line, which must be in its first code cell.
     * Fails if there is none, more than one, or one elsewhere.
     */
    static String dependencyLine(Notebook notebook) {
        assertTrue(!notebook.cells().isEmpty(), notebook.name() + ": no code cells");
        List<String> all = new ArrayList<>();
        for (Cell cell : notebook.cells()) {
            mavenCoordinates(cell.source()).forEach(c -> all.add("cell " + cell.index() + ": " + c));
        }
        List<String> first = mavenCoordinates(notebook.cells().get(0).source());
        if (first.size() != 1 || all.size() != 1) {
            fail(notebook.name() + ": expected exactly one %maven line, \"%maven " + NOTEBOOK_ARTIFACT + ":"
                    + property("project.version") + "\", in the first code cell (cell "
                    + notebook.cells().get(0).index() + "); got " + (all.isEmpty() ? "none" : all));
        }
        return first.get(0);
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
        Notebook broken = read(write(dir, "throws.ipynb", "%maven " + NOTEBOOK_ARTIFACT + ":"
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
    void aCellEndingInDisplayFailsBecauseTheKernelWouldPrintTheDisplayId(@TempDir Path dir) throws IOException {
        Notebook broken = read(write(dir, "display.ipynb", "display(\"chart\");"));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> run(broken));
        assertMessage(e, "display.ipynb", "cell 1", "display id");
        // the same call followed by a statement is fine
        run(read(write(dir, "display-ok.ipynb", "display(\"chart\");\nSystem.out.println(\"shown\");")));
    }

    @Test
    void theDependencyLineMustBeTheNotebookArtifactInTheBuildsVersion(@TempDir Path dir) throws IOException {
        String version = property("project.version");
        checkCoordinates("ok", NOTEBOOK_ARTIFACT + ":" + version);
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> checkCoordinates("nb", NOTEBOOK_ARTIFACT + ":0.0.1"));
        assertMessage(e, "nb", "0.0.1", version);
        e = assertThrows(AssertionFailedError.class,
                () -> checkCoordinates("nb", "org.deeplearning4j:deeplearning4j-core:1.0.0-M2.1"));
        assertMessage(e, "nb", "deeplearning4j-core", NOTEBOOK_ARTIFACT);
        Notebook two = read(write(dir, "two.ipynb", "%maven " + NOTEBOOK_ARTIFACT + ":" + version
                + "\n%maven org.jfree:jfreechart:1.5.6", "int x = 1;"));
        e = assertThrows(AssertionFailedError.class, () -> dependencyLine(two));
        assertMessage(e, "two.ipynb", "exactly one %maven line", "jfreechart");
        Notebook late = read(write(dir, "late.ipynb", "int x = 1;", "%maven " + NOTEBOOK_ARTIFACT + ":" + version));
        e = assertThrows(AssertionFailedError.class, () -> dependencyLine(late));
        assertMessage(e, "late.ipynb", "first code cell", "cell 2");
    }

    private static void assertMessage(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message lacks \"" + part + "\":\n" + e.getMessage());
        }
    }

    /** Writes a notebook with one code cell per source (and a markdown cell first, as real notebooks have). */
    static Path write(Path dir, String name, String... codeCells) throws IOException {
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
     * Checks a notebook's dependency line ({@code group:artifact[:extension[:classifier]]:version}, the syntax JJava's
     * resolver accepts): it must be the notebook artifact in the project's version, which this test has on its
     * classpath, so the test runs the notebook against what a user's kernel loads.
     */
    static void checkCoordinates(String where, String coordinates) {
        String expected = NOTEBOOK_ARTIFACT + ":" + property("project.version");
        if (!coordinates.equals(expected)) {
            fail(where + ": %maven " + coordinates + "; expected %maven " + expected
                    + " (the artifact made for notebooks, in the build's version)");
        }
        String artifact = NOTEBOOK_ARTIFACT.substring(NOTEBOOK_ARTIFACT.indexOf(':') + 1);
        boolean onClasspath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .anyMatch(p -> p.getFileName().toString().startsWith(artifact + "-")
                        || p.endsWith(Path.of(artifact, "target", "classes")));
        if (!onClasspath) {
            fail(where + ": %maven " + coordinates + " is not on the examples module's test classpath; "
                    + "add it to dl4j-spectral-examples/pom.xml so this test runs what the notebook loads");
        }
    }

    static String property(String name) {
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
                    + "    return \"" + DISPLAY_ID + "\";\n"
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
        // JJava shows the value of a cell's last expression: after System.out.printf that is "java.io.PrintStream@...",
        // after display(...) the display's id.
        if (last instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
            if (v.typeName().endsWith("PrintStream")) {
                fail(where + ": the cell ends with an expression of type PrintStream (printf?), which the kernel would show "
                        + "as its result; end the cell with a statement such as System.out.println(...):\n" + v.source());
            }
            if (("\"" + DISPLAY_ID + "\"").equals(shell.varValue(v))) {
                fail(where + ": the cell ends with display(...), whose result the kernel would print as a stray display id; "
                        + "end the cell with a statement such as System.out.println(...):\n" + v.source());
            }
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
