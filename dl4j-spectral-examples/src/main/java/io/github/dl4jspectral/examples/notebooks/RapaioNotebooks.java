package io.github.dl4jspectral.examples.notebooks;

import io.github.dl4jspectral.report.AtomicFiles;
import org.nd4j.shade.jackson.core.JsonGenerator;
import org.nd4j.shade.jackson.core.util.DefaultIndenter;
import org.nd4j.shade.jackson.core.util.DefaultPrettyPrinter;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Generates the <a href="https://github.com/padreati/rapaio-jupyter-kernel">rapaio-jupyter-kernel</a> variant of each
 * JJava notebook, so the two kernels' notebooks are never kept by hand.
 *
 * <p>For {@code notebooks/NAME.ipynb} it writes {@code notebooks/rapaio/NAME.ipynb}: the same cells, except that
 * <ul>
 *   <li>every {@code %maven G:A:V} line becomes {@code %dependency /add G:A:V}, and the lines of a cell that had
 *       one end with {@code %dependency /resolve};</li>
 *   <li>before the first SNAPSHOT coordinate comes {@code %dependency /add-repo local} of the user's local Maven
 *       repository ({@code ~/.m2/repository}, written as a rapaio interpolation {@code \{...}} the kernel evaluates):
 *       rapaio resolves into its own cache and would not find a SNAPSHOT installed there otherwise;</li>
 *   <li>the kernelspec names {@code rapaio-jupyter-kernel}, and a first markdown cell says the file is generated.</li>
 * </ul>
 * Every other cell, code and markdown, is copied unchanged. The JSON is written as Jupyter writes it (one-space
 * indent), so a regenerated file differs only where its source did. {@code RapaioNotebooksTest} fails when a
 * committed variant is not what this class generates from the current JJava notebook.
 *
 * <p>Run from the repository root (the argument is the notebooks directory):
 * {@code mvn -q -pl dl4j-spectral-examples -am compile exec:java
 * -Dexec.mainClass=io.github.dl4jspectral.examples.notebooks.RapaioNotebooks -Dexec.args=dl4j-spectral-examples/notebooks}.
 */
public final class RapaioNotebooks {

    /** The variants' directory, inside the notebooks directory. */
    public static final String DIRECTORY = "rapaio";

    /** The kernelspec name rapaio-jupyter-kernel installs itself under. */
    public static final String KERNEL_NAME = "rapaio-jupyter-kernel";

    /** The local Maven repository as a {@code file:} URI, evaluated by the kernel when the magic runs. */
    static final String ADD_LOCAL_REPOSITORY = "%dependency /add-repo local "
            + "\\{java.nio.file.Path.of(System.getProperty(\"user.home\"), \".m2\", \"repository\").toUri()}";

    private static final String MAVEN = "%maven ";
    private static final String ADD = "%dependency /add ";
    private static final String RESOLVE = "%dependency /resolve";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RapaioNotebooks() {
    }

    /** Writes the variant of every notebook in {@code args[0]} (default {@code dl4j-spectral-examples/notebooks}). */
    public static void main(String[] args) throws IOException {
        Path notebooks = Path.of(args.length > 0 ? args[0] : "dl4j-spectral-examples/notebooks");
        for (Path written : generate(notebooks)) {
            System.out.println("wrote " + written);
        }
    }

    /** The JJava notebooks of a directory ({@code *.ipynb} directly in it), sorted by name. */
    public static List<Path> jjavaNotebooks(Path notebooks) throws IOException {
        if (!Files.isDirectory(notebooks)) {
            throw new IOException("notebooks directory " + notebooks.toAbsolutePath() + " does not exist");
        }
        try (Stream<Path> files = Files.list(notebooks)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".ipynb") && Files.isRegularFile(p))
                    .sorted().toList();
        }
    }

    /** Where the variant of {@code jjavaNotebook} goes: {@code rapaio/} beside it, same file name. */
    public static Path variantPath(Path jjavaNotebook) {
        return jjavaNotebook.resolveSibling(DIRECTORY).resolve(jjavaNotebook.getFileName());
    }

    /** Writes the variant of every JJava notebook in {@code notebooks} (atomically) and returns the files written. */
    public static List<Path> generate(Path notebooks) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Path notebook : jjavaNotebooks(notebooks)) {
            Path target = variantPath(notebook);
            AtomicFiles.writeString(target, variant(notebook));
            written.add(target);
        }
        return written;
    }

    /** The variant of one JJava notebook file, as the text to write. */
    public static String variant(Path jjavaNotebook) throws IOException {
        return variant(Files.readString(jjavaNotebook, StandardCharsets.UTF_8), jjavaNotebook.getFileName().toString());
    }

    /**
     * The variant of a JJava notebook's JSON text.
     *
     * @param name the notebook's file name, for the generated note and for errors
     * @throws IllegalArgumentException if the text is not a notebook (no {@code cells} array) or has no {@code %maven} line
     */
    public static String variant(String jjavaNotebookJson, String name) {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(jjavaNotebookJson);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": not JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof ObjectNode notebook) || !(notebook.get("cells") instanceof ArrayNode cells)) {
            throw new IllegalArgumentException(name + ": not a Jupyter notebook; got no \"cells\" array; expected nbformat 4");
        }
        ArrayNode rewritten = JSON.createArrayNode();
        rewritten.add(note(name));
        boolean repositoryAdded = false;
        boolean anyMaven = false;
        for (JsonNode cell : cells) {
            List<String> lines = sourceLines(cell.path("source"));
            if (!"code".equals(cell.path("cell_type").asText()) || lines.stream().noneMatch(RapaioNotebooks::isMaven)) {
                rewritten.add(cell);
                continue;
            }
            anyMaven = true;
            List<String> magics = new ArrayList<>();
            for (String line : lines) {
                if (!isMaven(line)) {
                    magics.add(line);
                    continue;
                }
                for (String coordinates : line.strip().substring(MAVEN.length()).strip().split("\\s+")) {
                    if (!repositoryAdded && coordinates.endsWith("-SNAPSHOT")) {
                        magics.add(ADD_LOCAL_REPOSITORY);
                        repositoryAdded = true;
                    }
                    magics.add(ADD + coordinates);
                }
            }
            magics.add(RESOLVE);
            ObjectNode copy = ((ObjectNode) cell).deepCopy();
            copy.set("source", sourceArray(magics));
            rewritten.add(copy);
        }
        if (!anyMaven) {
            throw new IllegalArgumentException(name + ": no %maven line; expected the dependency cell's "
                    + "\"%maven io.github.dl4jspectral:dl4j-spectral-notebook:VERSION\"");
        }
        ObjectNode variant = notebook.deepCopy();
        variant.set("cells", rewritten);
        ObjectNode kernelspec = variant.with("metadata").with("kernelspec");
        kernelspec.put("display_name", "Java (rapaio)");
        kernelspec.put("language", "java");
        kernelspec.put("name", KERNEL_NAME);
        return write(variant);
    }

    private static boolean isMaven(String line) {
        return line.strip().startsWith(MAVEN);
    }

    /** The first cell of a variant: where it comes from, and that it is not edited by hand. */
    private static ObjectNode note(String name) {
        ObjectNode cell = JSON.createObjectNode();
        cell.put("cell_type", "markdown");
        cell.putObject("metadata");
        cell.set("source", sourceArray(List.of(
                "*Generated from [`../" + name + "`](../" + name + ") for rapaio-jupyter-kernel by `RapaioNotebooks`"
                        + " (dl4j-spectral-examples): edit the JJava notebook and regenerate, not this file.*",
                "",
                "The dependency cell adds your local Maven repository (`~/.m2/repository`, where `mvn install` put"
                        + " `dl4j-spectral-notebook`), then adds and resolves the one dependency. The kernel copies what"
                        + " it resolves into its own cache and does not look again for a SNAPSHOT it has: after a new"
                        + " `mvn install`, delete `mima_cache/io/github/dl4jspectral` beside the kernel's jar. If"
                        + " the kernel hangs while it starts, restart it (see the README's notebook section).")));
        cell.put("id", "rapaio-note");
        return cell;
    }

    /** nbformat stores a cell's source as one string or as a list of lines (each with its newline). */
    private static List<String> sourceLines(JsonNode source) {
        StringBuilder text = new StringBuilder();
        if (source.isTextual()) {
            text.append(source.asText());
        } else {
            source.forEach(line -> text.append(line.asText()));
        }
        return List.of(text.toString().split("\n", -1));
    }

    /** Lines as nbformat's list: each but the last ends with a newline; no empty last entry. */
    private static ArrayNode sourceArray(List<String> lines) {
        ArrayNode array = JSON.createArrayNode();
        for (int i = 0; i < lines.size(); i++) {
            boolean last = i == lines.size() - 1;
            if (!last || !lines.get(i).isEmpty()) {
                array.add(last ? lines.get(i) : lines.get(i) + "\n");
            }
        }
        return array;
    }

    /** The notebook as Jupyter writes it: one-space indent, {@code "key": value}, {@code []} and {@code {}}, final newline. */
    private static String write(JsonNode notebook) {
        try {
            return JSON.writer(new JupyterPrettyPrinter()).writeValueAsString(notebook) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Python's {@code json.dump(indent=1)} layout, which Jupyter uses for .ipynb files. */
    private static final class JupyterPrettyPrinter extends DefaultPrettyPrinter {

        JupyterPrettyPrinter() {
            DefaultIndenter indenter = new DefaultIndenter(" ", "\n");
            indentObjectsWith(indenter);
            indentArraysWith(indenter);
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new JupyterPrettyPrinter();
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
            if (!closedEmpty(g, nrOfEntries, '}')) {
                super.writeEndObject(g, nrOfEntries);
            }
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            if (!closedEmpty(g, nrOfValues, ']')) {
                super.writeEndArray(g, nrOfValues);
            }
        }

        /** An empty object or array closes as {@code {}} / {@code []}, not Jackson's {@code { }}. */
        private boolean closedEmpty(JsonGenerator g, int entries, char bracket) throws IOException {
            if (entries > 0) {
                return false;
            }
            --_nesting;
            g.writeRaw(bracket);
            return true;
        }
    }
}
