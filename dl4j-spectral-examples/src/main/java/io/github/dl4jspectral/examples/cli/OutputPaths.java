package io.github.dl4jspectral.examples.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Checks, before any data is read or anything trains, that a subcommand will be able to write its outputs: every
 * file it writes is not a directory (nor a device or other special file), and the nearest existing directory
 * above it is a directory, not a regular file, and writable (the missing ones below it are created when the file is
 * written). A failure is a bad argument: {@code --save PATH: REASON; expected ...}, exit status 2.
 */
final class OutputPaths {

    private OutputPaths() {
    }

    /** The file named by {@code given} (the value of {@code option}), checked to be writable. */
    static Path file(String option, String given) {
        if (given.endsWith("/") || given.endsWith(File.separator)) {
            throw bad(option, given, "ends with a separator, so it names a directory", "a file name (e.g. "
                    + given + "model.zip)");
        }
        Path file = path(option, given);
        String problem = problem(file);
        if (problem != null) {
            throw bad(option, given, problem, "a file in a writable directory (missing directories are created)");
        }
        return file;
    }

    /**
     * The directory named by {@code given} (the value of {@code option}), checked to exist or to be creatable, with
     * each of the files {@code names} in it writable.
     */
    static Path directory(String option, String given, String... names) {
        Path directory = path(option, given);
        String expected = "a writable directory (created if missing)";
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw bad(option, given, "is " + kind(directory), expected);
        }
        for (String name : names) {
            String problem = problem(directory.resolve(name));
            if (problem != null) {
                throw bad(option, given, problem, expected + " in which " + String.join(" and ", names) + " can be written");
            }
        }
        return directory;
    }

    /** Why {@code file} cannot be written, or null if it can. */
    private static String problem(Path file) {
        if (Files.isDirectory(file)) {
            return file + " is a directory";
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            return file + " is " + kind(file);
        }
        Path existing = file.toAbsolutePath().getParent();
        while (existing != null && !Files.exists(existing)) {
            if (Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                return existing + " is a link to nothing";
            }
            existing = existing.getParent();
        }
        if (existing == null) {
            return "no directory above it exists";
        }
        if (!Files.isDirectory(existing)) {
            return existing + " is " + kind(existing) + ", not a directory";
        }
        if (!Files.isWritable(existing)) {
            return "directory " + existing + " is not writable";
        }
        return null;
    }

    private static String kind(Path path) {
        return Files.isRegularFile(path) ? "a regular file" : Files.isDirectory(path) ? "a directory" : "a special file";
    }

    private static Path path(String option, String given) {
        try {
            return Path.of(given);
        } catch (InvalidPathException e) {
            throw bad(option, given, "not a valid path (" + e.getReason() + ")", "a file path");
        }
    }

    private static BadArgumentException bad(String option, String given, String problem, String expected) {
        return new BadArgumentException(option + " " + given + ": " + problem + "; expected " + expected);
    }
}
