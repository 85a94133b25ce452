package io.github.dl4jspectral.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One IDX file to read: a name for messages (a path or a classpath URL) and a way to open it.
 *
 * @param name   what error messages call the file
 * @param opener opens a fresh stream over the file's bytes (raw or gzipped)
 */
public record IdxSource(String name, Opener opener) {

    /** Opens a stream; may throw IOException. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /** The file at {@code path}. */
    public static IdxSource of(Path path) {
        return new IdxSource(path.toString(), () -> Files.newInputStream(path));
    }

    /** The resource at {@code url} (for example a file inside a jar). */
    public static IdxSource of(URL url) {
        return new IdxSource(url.toString(), url::openStream);
    }

    InputStream open() throws IOException {
        return opener.open();
    }
}
