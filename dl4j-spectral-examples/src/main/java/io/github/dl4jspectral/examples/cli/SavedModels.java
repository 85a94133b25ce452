package io.github.dl4jspectral.examples.cli;

import io.github.dl4jspectral.compact.CompactModelFile;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writing and reading the model zips of {@code train}, in either format ({@link Format}); reading tells the formats
 * apart by content, and its errors name the file and say what is wrong with it.
 */
final class SavedModels {

    /** The file format {@code train --save} writes. */
    enum Format {
        /** DL4J's {@code ModelSerializer} zip, loadable by plain DL4J (with dl4j-spectral on the class path). */
        DL4J,
        /**
         * {@link CompactModelFile}: frozen random groups stored as seeds and checksums, trained groups and updater
         * state in full; an EIGENVALUES 784-500-10 network takes about 28 KB instead of 1.5 MB.
         */
        COMPACT;

        /** Writes {@code network} with its updater state to {@code out}. */
        void write(MultiLayerNetwork network, OutputStream out) throws IOException {
            if (this == COMPACT) {
                CompactModelFile.write(network, out, true);
            } else {
                ModelSerializer.writeModel(network, out, true);
            }
        }
    }

    private SavedModels() {
    }

    /** Checks that {@code file} (the value of {@code option}) is an existing regular file, before any work starts. */
    static void requireFile(String option, Path file) {
        DataOptions.require(Files.isRegularFile(file), option, file, "an existing model zip");
    }

    /**
     * The network saved in {@code file}, in either {@link Format} (a zip with a compact manifest is read by
     * {@link CompactModelFile}, any other by ModelSerializer).
     *
     * @throws IllegalStateException in one line: the option, the file, and the reason it could not be read (the
     *                               first line of the underlying error, without the path again)
     */
    static MultiLayerNetwork restore(String option, Path file) {
        try {
            return CompactModelFile.isCompact(file) ? CompactModelFile.readMultiLayerNetwork(file)
                    : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (Exception | Error e) {   // truncated zips, unknown settings in the JSON, unreadable files, checksums
            throw new IllegalStateException(option + " " + file + ": cannot be read as a DL4J or compact model zip ("
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
