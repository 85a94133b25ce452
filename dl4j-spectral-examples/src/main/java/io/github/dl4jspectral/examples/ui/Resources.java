package io.github.dl4jspectral.examples.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads a UTF-8 text resource from the classpath (the pages and patches this package serves, DL4J's assets). */
final class Resources {

    private Resources() {
    }

    /**
     * The text of resource {@code name}, resolved as {@link Class#getResourceAsStream} does (relative to
     * {@code near}'s package, or absolute with a leading '/').
     *
     * @throws IllegalStateException if there is no such resource
     */
    static String text(Class<?> near, String name) {
        try (InputStream in = near.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath (looked up next to " + near.getName() + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " next to " + near.getName(), e);
        }
    }
}
