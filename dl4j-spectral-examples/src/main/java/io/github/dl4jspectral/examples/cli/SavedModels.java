package io.github.dl4jspectral.examples.cli;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the model zips that {@code train} writes, with errors that name the file and say what is wrong with it. */
final class SavedModels {

    private SavedModels() {
    }

    /** Checks that {@code file} (the value of {@code option}) is an existing regular file, before any work starts. */
    static void requireFile(String option, Path file) {
        DataOptions.require(Files.isRegularFile(file), option, file, "an existing model zip");
    }

    /**
     * The network saved in {@code file}.
     *
     * @throws IllegalStateException in one line: the option, the file, and the reason it could not be read (the
     *                               first line of the underlying error, without the path again)
     */
    static MultiLayerNetwork restore(String option, Path file) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (Exception | Error e) {   // truncated zips, unknown settings in the JSON, unreadable files
            throw new IllegalStateException(option + " " + file + ": cannot be read as a DL4J model zip ("
                    + reason(e, file) + ")", e);
        }
    }

    /** The first line of the deepest cause's message, with the file's path taken out. */
    static String reason(Throwable e, Path file) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        String line = message.lines().findFirst().orElse("").strip();
        for (String path : new String[]{file.toAbsolutePath().toString(), file.toString()}) {
            line = line.replace(path + " (", "(").replace(path, "").strip();
        }
        line = line.startsWith("(") && line.endsWith(")") ? line.substring(1, line.length() - 1) : line;
        return line.isEmpty() ? root.getClass().getSimpleName() : line;
    }
}
