package io.github.dl4jspectral.examples.notebooks;

import eu.maveniverse.maven.mima.context.Context;
import eu.maveniverse.maven.mima.context.ContextOverrides;
import eu.maveniverse.maven.mima.context.Runtimes;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.WorkspaceReader;
import org.eclipse.aether.repository.WorkspaceRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.github.dl4jspectral.examples.notebooks.NotebooksTest.property;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Resolves each notebook's dependency line the way the kernels do and checks that it brings exactly the jars the
 * build uses: no OpenCV, FFmpeg or other image-stack jar, no native jar of another platform, nothing more and
 * nothing less than the build's runtime classpath of {@code dl4j-spectral-notebook}.
 *
 * <p>JJava's {@code %maven} and rapaio-jupyter-kernel's {@code %dependency /resolve} both resolve with MIMA (Maven's
 * resolver and model builder) a root dependency of scope runtime; so does this test. The project's own artifacts
 * come from the reactor, as in Maven's own build: each module's {@code pom.xml} and {@code target/classes}, and for
 * {@code dl4j-spectral-notebook} the flattened POM it installs ({@code target/flattened-pom.xml}). Everything else
 * comes from the build's local repository, offline: it runs in {@code mvn test} on a clean clone, before anything
 * is installed. The build's list is {@code target/notebook-dependencies.txt}, written by the notebook module's
 * {@code dependency:list}.
 */
class NotebookDependenciesTest {

    private static final String GROUP = "io.github.dl4jspectral";

    /** The only org.bytedeco artifacts the CPU backend needs; every other one belongs to the image stack. */
    private static final Set<String> BYTEDECO_ALLOWED = Set.of("javacpp", "openblas");

    /** Artifacts deeplearning4j-core would bring that the build excludes (image, Keras import, UI components). */
    private static final Set<String> EXCLUDED = Set.of("org.datavec:datavec-data-image",
            "org.deeplearning4j:deeplearning4j-modelimport", "org.deeplearning4j:deeplearning4j-ui-components");

    /** A line of dependency:list: "   group:artifact:type[:classifier]:version:scope[ -- module ...]". */
    private static final Pattern LISTED = Pattern.compile(
            "^\\s+([^:\\s]+):([^:\\s]+):([^:\\s]+)(?::([^:\\s]+))?:([^:\\s]+):(compile|runtime)(?:\\s.*)?$");

    private static Path reactor() {
        return Path.of(property("reactor.dir")).toAbsolutePath().normalize();
    }

    private static Path notebookModule() {
        return reactor().resolve("dl4j-spectral-notebook");
    }

    @TestFactory
    Stream<DynamicTest> eachNotebooksDependencyLineBringsExactlyTheBuildsJars() throws IOException {
        Set<String> build = buildClasspath(notebookModule().resolve("target/notebook-dependencies.txt"));
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : NotebooksTest.notebookFiles()) {
            tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                String line = NotebooksTest.dependencyLine(NotebooksTest.read(file));
                List<String> resolved = resolve(line);
                checkNoImageStackOrOtherPlatform(file.getFileName() + " (%maven " + line + ")", resolved,
                        property("javacpp.platform"));
                checkSameJars(file.getFileName() + " (%maven " + line + ")", resolved, build);
            }));
        }
        return tests.stream();
    }

    @Test
    void theBuildsListIsTheBackendForOnePlatformWithoutTheImageStack() throws IOException {
        Set<String> build = buildClasspath(notebookModule().resolve("target/notebook-dependencies.txt"));
        String platform = property("javacpp.platform");
        checkNoImageStackOrOtherPlatform("dl4j-spectral-notebook's build", List.copyOf(build), platform);
        for (String needed : List.of(GROUP + ":dl4j-spectral-layers:jar::", GROUP + ":dl4j-spectral-experiments:jar::",
                "org.deeplearning4j:deeplearning4j-core:jar::", "org.jfree:jfreechart:jar::",
                "org.nd4j:nd4j-native:jar:" + platform + ":", "org.bytedeco:openblas:jar:" + platform + ":",
                "org.bytedeco:javacpp:jar:" + platform + ":")) {
            assertTrue(build.stream().anyMatch(c -> c.startsWith(needed)), "the build's list lacks " + needed + ": " + build);
        }
    }

    // ---- the checks must fail on what the old dependency lines brought -------------------------------------------

    @Test
    void theImageStackAndOtherPlatformsAreRejected() {
        String platform = "linux-x86_64";
        List<String> ok = List.of("org.bytedeco:openblas:jar:linux-x86_64:0.3.19-1.5.7", "org.bytedeco:javacpp:jar::1.5.7");
        checkNoImageStackOrOtherPlatform("ok", ok, platform);
        for (String bad : List.of("org.bytedeco:opencv:jar:linux-x86_64:4.5.5-1.5.7", "org.bytedeco:ffmpeg:jar::5.0-1.5.7",
                "org.bytedeco:leptonica-platform:jar::1.82.0-1.5.7", "org.datavec:datavec-data-image:jar::1.0.0-M2.1",
                "org.bytedeco:openblas:jar:windows-x86_64:0.3.19-1.5.7", "org.nd4j:nd4j-native-platform:jar::1.0.0-M2.1")) {
            List<String> jars = new ArrayList<>(ok);
            jars.add(bad);
            AssertionFailedError e = assertThrows(AssertionFailedError.class,
                    () -> checkNoImageStackOrOtherPlatform("old line", jars, platform));
            assertTrue(e.getMessage().contains(bad) && e.getMessage().contains("old line"), e.getMessage());
        }
    }

    @Test
    void aJarMoreOrLessThanTheBuildsIsRejected() {
        Set<String> build = Set.of("a:b:jar::1", "c:d:jar:linux-x86_64:2");
        checkSameJars("ok", List.of("c:d:jar:linux-x86_64:2", "a:b:jar::1"), build);
        AssertionFailedError more = assertThrows(AssertionFailedError.class,
                () -> checkSameJars("nb", List.of("a:b:jar::1", "c:d:jar:linux-x86_64:2", "e:f:jar::3"), build));
        assertTrue(more.getMessage().contains("e:f:jar::3") && more.getMessage().contains("does not use"), more.getMessage());
        AssertionFailedError less = assertThrows(AssertionFailedError.class,
                () -> checkSameJars("nb", List.of("a:b:jar::1"), build));
        assertTrue(less.getMessage().contains("c:d:jar:linux-x86_64:2") && less.getMessage().contains("lacks"),
                less.getMessage());
    }

    @Test
    void theBuildsListIsParsedWithClassifiersAndWithoutTheHeader(@TempDir Path dir) throws IOException {
        Path list = dir.resolve("list.txt");
        Files.writeString(list, "\nThe following files have been resolved:\n"
                + "   org.nd4j:nd4j-native:jar:linux-x86_64:1.0.0-M2.1:compile -- module nd4j.cpu.binary [auto]\n"
                + "   org.jfree:jfreechart:jar:1.5.6:compile -- module org.jfree.jfreechart [auto]\n"
                + "   org.slf4j:slf4j-api:jar:1.7.21:runtime\n\n");
        assertEquals(Set.of("org.nd4j:nd4j-native:jar:linux-x86_64:1.0.0-M2.1", "org.jfree:jfreechart:jar::1.5.6",
                "org.slf4j:slf4j-api:jar::1.7.21"), buildClasspath(list));
    }

    // ---- checks ---------------------------------------------------------------------------------------------------

    /** Fails if a jar belongs to the image / Keras-import / UI-component stacks or is native for another platform. */
    static void checkNoImageStackOrOtherPlatform(String what, List<String> jars, String platform) {
        List<String> bad = new ArrayList<>();
        for (String jar : jars) {
            String[] p = jar.split(":", -1);
            String group = p[0], artifact = p[1], classifier = p[3];
            boolean natives = group.equals("org.bytedeco") || group.equals("org.nd4j");
            boolean imageStack = (group.equals("org.bytedeco") && !BYTEDECO_ALLOWED.contains(artifact))
                    || EXCLUDED.contains(group + ":" + artifact);
            // nd4j-native-platform, openblas-platform, ...: every platform's natives
            boolean otherPlatform = natives && (artifact.endsWith("-platform")
                    || !classifier.isEmpty() && !classifier.equals(platform));
            if (imageStack || otherPlatform) {
                bad.add(jar + (imageStack ? " (image / import / UI stack)" : " (not only " + platform + ")"));
            }
        }
        if (!bad.isEmpty()) {
            fail(what + " brings jars the build excludes: " + bad + "; expected the backend for " + platform + " only");
        }
    }

    /** Fails unless {@code resolved} (without the notebook artifact itself) and the build's list are the same jars. */
    static void checkSameJars(String what, List<String> resolved, Set<String> build) {
        Set<String> kernel = new TreeSet<>(resolved);
        kernel.removeIf(c -> c.startsWith(GROUP + ":dl4j-spectral-notebook:"));
        Set<String> more = new TreeSet<>(kernel);
        more.removeAll(build);
        Set<String> less = new TreeSet<>(build);
        less.removeAll(kernel);
        if (!more.isEmpty() || !less.isEmpty()) {
            fail(what + ": a kernel's resolution differs from the build's runtime classpath of dl4j-spectral-notebook"
                    + (more.isEmpty() ? "" : "; brings jars the build does not use: " + more)
                    + (less.isEmpty() ? "" : "; lacks jars the build uses: " + less));
        }
    }

    // ---- resolution -----------------------------------------------------------------------------------------------

    /** The build's runtime classpath of the notebook module, as group:artifact:extension:classifier:version. */
    static Set<String> buildClasspath(Path list) throws IOException {
        if (!Files.isRegularFile(list)) {
            fail("no " + list + "; it is written when dl4j-spectral-notebook is built: run with -am "
                    + "(mvn -pl dl4j-spectral-examples -am test)");
        }
        Set<String> jars = new TreeSet<>();
        for (String line : Files.readAllLines(list)) {
            Matcher m = LISTED.matcher(line);
            if (m.matches()) {
                jars.add(String.join(":", m.group(1), m.group(2), m.group(3), m.group(4) == null ? "" : m.group(4), m.group(5)));
            }
        }
        assertTrue(!jars.isEmpty(), list + " lists no dependencies");
        return jars;
    }

    /**
     * Resolves {@code coordinates} as JJava's {@code %maven} does (MIMA, root dependency of scope runtime) and returns
     * every artifact, root included, as group:artifact:extension:classifier:baseVersion.
     */
    static List<String> resolve(String coordinates) throws DependencyResolutionException {
        Path flattened = notebookModule().resolve("target/flattened-pom.xml");
        if (!Files.isRegularFile(flattened)) {
            fail("no " + flattened + "; it is written when dl4j-spectral-notebook is built: run with -am");
        }
        ContextOverrides overrides = ContextOverrides.create()
                .withUserSettings(true)
                .offline(true)
                .withLocalRepositoryOverride(Path.of(property("build.local.repository")))
                .build();
        try (Context context = Runtimes.INSTANCE.getRuntime().create(overrides)) {
            DefaultRepositorySystemSession session = new DefaultRepositorySystemSession(context.repositorySystemSession());
            session.setWorkspaceReader(new Reactor(reactor(), property("project.version")));
            // "simple": take what the build downloaded whatever repository id (a mirror's) it was recorded under
            session.setLocalRepositoryManager(context.repositorySystem().newLocalRepositoryManager(session,
                    new LocalRepository(new File(property("build.local.repository")), "simple")));
            CollectRequest collect = new CollectRequest(new Dependency(new DefaultArtifact(coordinates), "runtime"),
                    context.remoteRepositories());
            List<String> artifacts = new ArrayList<>();
            for (ArtifactResult result : context.repositorySystem()
                    .resolveDependencies(session, new DependencyRequest(collect, null)).getArtifactResults()) {
                Artifact a = result.getArtifact();
                artifacts.add(String.join(":", a.getGroupId(), a.getArtifactId(), a.getExtension(), a.getClassifier(),
                        a.getBaseVersion()));
            }
            return artifacts;
        }
    }

    /**
     * This project's modules, served from their directories as Maven's reactor serves them: the POM from the source
     * tree (the notebook module's flattened POM, which is what it installs), the jar as {@code target/classes}.
     */
    private record Reactor(Path root, String version) implements WorkspaceReader {

        @Override
        public WorkspaceRepository getRepository() {
            return new WorkspaceRepository("reactor");
        }

        @Override
        public File findArtifact(Artifact artifact) {
            Path module = module(artifact);
            if (module == null) {
                return null;
            }
            if (artifact.getExtension().equals("pom")) {
                Path pom = artifact.getArtifactId().equals("dl4j-spectral-notebook")
                        ? module.resolve("target/flattened-pom.xml") : module.resolve("pom.xml");
                return pom.toFile();
            }
            return artifact.getExtension().equals("jar") && artifact.getClassifier().isEmpty()
                    ? module.resolve("target/classes").toFile() : null;
        }

        @Override
        public List<String> findVersions(Artifact artifact) {
            return module(artifact) == null ? List.of() : List.of(version);
        }

        /** The module's directory, or null for an artifact that is not one of this reactor's. */
        private Path module(Artifact artifact) {
            if (!artifact.getGroupId().equals(GROUP) || !artifact.getBaseVersion().equals(version)) {
                return null;
            }
            String id = artifact.getArtifactId();
            Path module = id.equals("dl4j-spectral-parent") ? root : root.resolve(id);
            return Files.isRegularFile(module.resolve("pom.xml")) ? module : null;
        }
    }
}
