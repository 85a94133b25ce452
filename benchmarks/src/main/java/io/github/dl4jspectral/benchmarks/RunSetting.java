package io.github.dl4jspectral.benchmarks;

import io.github.dl4jspectral.cpu.CpuSpeed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;

/**
 * The native-threading configuration a JMH fork of {@link InterleavedRounds} runs under.
 *
 * @param shipped true: what a user gets with the library on the classpath (it sets {@code OMP_WAIT_POLICY=PASSIVE}
 *                before ND4J loads, {@link CpuSpeed}); false: the bare default, the fork started with
 *                {@code -Ddl4jspectral.passiveWait=false} so that the environment stays as DL4J alone would have it
 * @param threads 0: as many native threads as ND4J and OpenBLAS choose (the cores); n &gt; 0: the fork started with
 *                {@code OMP_NUM_THREADS=n OPENBLAS_NUM_THREADS=n}
 */
public record RunSetting(boolean shipped, int threads) {

    /** The shipped configuration, all cores. */
    public static final RunSetting SHIPPED = new RunSetting(true, 0);
    /** The bare default, all cores. */
    public static final RunSetting BARE = new RunSetting(false, 0);

    public RunSetting {
        if (threads < 0) {
            throw new IllegalArgumentException("threads = " + threads + "; expected 0 (all cores) or a positive count");
        }
    }

    /** Parses {@code shipped} or {@code bare}, optionally with {@code :n} threads, e.g. {@code shipped:1}. */
    public static RunSetting parse(String text) {
        String[] parts = text.trim().split(":");
        boolean shipped = switch (parts[0]) {
            case "shipped" -> true;
            case "bare" -> false;
            default -> throw new IllegalArgumentException("settings: " + text + "; expected shipped or bare, "
                    + "optionally :threads (e.g. shipped:1)");
        };
        if (parts.length > 2) {
            throw new IllegalArgumentException("settings: " + text + "; expected at most one :threads");
        }
        return new RunSetting(shipped, parts.length == 2 ? Integer.parseInt(parts[1]) : 0);
    }

    /** For tables and CSV files: {@code shipped}, {@code bare}, {@code shipped:1}. */
    public String label() {
        return (shipped ? "shipped" : "bare") + (threads > 0 ? ":" + threads : "");
    }

    /** JVM options of the fork. */
    List<String> jvmArgs() {
        return shipped ? List.of() : List.of("-D" + CpuSpeed.PASSIVE_WAIT_PROPERTY + "=false");
    }

    /**
     * The script JMH starts the fork with (JMH has no option for a fork's environment), written to {@code directory}.
     * It removes {@code OMP_WAIT_POLICY} and {@code GOMP_SPINCOUNT} from the environment: the runner's JVM has the
     * library on its class path, so its native environment holds the library's {@code OMP_WAIT_POLICY=PASSIVE},
     * which a child process would inherit; a bare fork would then not be bare, and a shipped one would not show what
     * the library does by itself. For a thread count it also sets {@code OMP_NUM_THREADS} and
     * {@code OPENBLAS_NUM_THREADS}.
     */
    Path launcher(Path directory) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path script = directory.resolve("java-" + label().replace(':', '-'));
        String threadVariables = threads == 0 ? ""
                : String.format(Locale.ROOT, "OMP_NUM_THREADS=%d OPENBLAS_NUM_THREADS=%d ", threads, threads);
        Files.writeString(script, String.format(Locale.ROOT,
                "#!/bin/sh%nunset OMP_WAIT_POLICY GOMP_SPINCOUNT%n%sexec '%s' \"$@\"%n", threadVariables, java));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        script.toFile().deleteOnExit();
        return script;
    }
}
