package io.github.dl4jspectral.examples.notebooks;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rapaio-jupyter-kernel notebooks in {@code notebooks/rapaio} are exactly what {@link RapaioNotebooks} generates
 * from the current JJava notebooks, and the generator rewrites the dependency cell and nothing else.
 */
class RapaioNotebooksTest {

    private static final String REGENERATE = "mvn -q -pl dl4j-spectral-examples -am compile exec:java "
            + "-Dexec.mainClass=" + RapaioNotebooks.class.getName() + " -Dexec.args=dl4j-spectral-examples/notebooks";

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> eachCommittedVariantIsWhatTheGeneratorWritesFromTheCurrentNotebook() throws IOException {
        return NotebooksTest.notebookFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Path variant = RapaioNotebooks.variantPath(file);
            assertTrue(Files.isRegularFile(variant), "no rapaio variant " + variant + " of " + file.getFileName()
                    + "; generate it: " + REGENERATE);
            assertEquals(RapaioNotebooks.variant(file), Files.readString(variant, StandardCharsets.UTF_8),
                    variant + " is not what RapaioNotebooks generates from the current " + file.getFileName()
                            + "; edit the JJava notebook, not the variant, and regenerate: " + REGENERATE);
        }));
    }

    @Test
    void everyVariantHasItsJJavaNotebook() throws IOException {
        Path variants = NotebooksTest.notebooksDir().resolve(RapaioNotebooks.DIRECTORY);
        try (Stream<Path> files = Files.list(variants)) {
            for (Path variant : files.toList()) {
                assertTrue(Files.isRegularFile(NotebooksTest.notebooksDir().resolve(variant.getFileName())),
                        variant + " has no JJava notebook " + variant.getFileName() + " to be generated from; delete it");
            }
        }
    }

    @Test
    void theDependencyCellBecomesRapaiosMagicsAndEveryOtherCellIsKept(@TempDir Path dir) throws IOException {
        String snapshot = NotebooksTest.NOTEBOOK_ARTIFACT + ":0.1.0-SNAPSHOT";
        Path source = NotebooksTest.write(dir, "n.ipynb", "%maven " + snapshot, "int x = 1;\nSystem.out.println(x);");
        JsonNode jjava = JSON.readTree(source.toFile());
        JsonNode rapaio = JSON.readTree(RapaioNotebooks.variant(source));

        assertEquals(RapaioNotebooks.KERNEL_NAME, rapaio.path("metadata").path("kernelspec").path("name").asText());
        JsonNode cells = rapaio.path("cells");
        assertEquals(jjava.path("cells").size() + 1, cells.size(), "one generated note, then the notebook's cells");
        assertEquals("markdown", cells.get(0).path("cell_type").asText());
        assertTrue(cells.get(0).path("source").toString().contains("n.ipynb"), "the note names its source");
        assertEquals(jjava.path("cells").get(0), cells.get(1), "markdown cell kept");
        assertEquals(List.of("%dependency /add-repo local \\{java.nio.file.Path.of(System.getProperty(\"user.home\"), "
                        + "\".m2\", \"repository\").toUri()}\n", "%dependency /add " + snapshot + "\n", "%dependency /resolve"),
                lines(cells.get(2).path("source")));
        assertEquals(jjava.path("cells").get(2), cells.get(3), "code cell kept");
        assertEquals(jjava.path("nbformat"), rapaio.path("nbformat"));
        assertEquals(jjava.path("nbformat_minor"), rapaio.path("nbformat_minor"));
    }

    @Test
    void aReleasedDependencyNeedsNoLocalRepository(@TempDir Path dir) throws IOException {
        Path source = NotebooksTest.write(dir, "r.ipynb", "%maven org.jfree:jfreechart:1.5.6\nint y = 2;");
        JsonNode cell = JSON.readTree(RapaioNotebooks.variant(source)).path("cells").get(2);
        assertEquals(List.of("%dependency /add org.jfree:jfreechart:1.5.6\n", "int y = 2;\n", "%dependency /resolve"),
                lines(cell.path("source")));
        assertFalse(cell.toString().contains("add-repo"));
    }

    @Test
    void aNotebookWithoutDependencyLineOrNotANotebookIsRefusedByName(@TempDir Path dir) throws IOException {
        Path none = NotebooksTest.write(dir, "none.ipynb", "int x = 1;");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RapaioNotebooks.variant(none));
        assertTrue(e.getMessage().startsWith("none.ipynb: no %maven line"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RapaioNotebooks.variant("{\"cells\": 3}", "bad.ipynb"));
        assertTrue(e.getMessage().contains("bad.ipynb") && e.getMessage().contains("nbformat 4"), e.getMessage());
    }

    @Test
    void generateWritesOneVariantPerNotebookBesideIt(@TempDir Path dir) throws IOException {
        NotebooksTest.write(dir, "a.ipynb", "%maven " + NotebooksTest.NOTEBOOK_ARTIFACT + ":1.0");
        NotebooksTest.write(dir, "b.ipynb", "%maven " + NotebooksTest.NOTEBOOK_ARTIFACT + ":1.0");
        List<Path> written = RapaioNotebooks.generate(dir);
        assertEquals(List.of(dir.resolve("rapaio/a.ipynb"), dir.resolve("rapaio/b.ipynb")), written);
        assertEquals(RapaioNotebooks.variant(dir.resolve("a.ipynb")), Files.readString(written.get(0)));
        // a second run reads only the JJava notebooks, not the variants it wrote
        assertEquals(written, RapaioNotebooks.generate(dir));
    }

    private static List<String> lines(JsonNode source) {
        return source.isArray() ? Stream.iterate(0, i -> i < source.size(), i -> i + 1).map(i -> source.get(i).asText()).toList()
                : List.of(source.asText());
    }
}
