package io.github.dl4jspectral.testing;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/**
 * The package rules of a module, read from its {@code package-info.java} files, as ArchUnit rules: each package's
 * classes depend only on the package itself, the JDK and what the {@code May use:} sentence of its package-info names.
 * The sentence is read from the source, so the documentation and the check cannot drift apart: it runs from
 * {@code <p>May use:} to the first full stop; parentheses are comments, except after "the library", where they list
 * the library packages meant; the terms, separated by commas, semicolons and "and", must each be one of
 * {@link #TERMS} or a {@code {@code package}} / {@code {@code package.Class}} of the project. A term outside
 * these fails the check, so a new kind of dependency is named here before a package-info may use it.
 */
public final class PackageRules {

    /** The project's root package. */
    public static final String ROOT = "io.github.dl4jspectral";
    /** The library's packages (module dl4j-spectral-layers). */
    public static final List<String> LIBRARY = List.of("conf", "blocks", "layers", "params", "samediff", "pruning",
            "export", "count", "compact", "files", "spectralize", "cpu");
    /** The experiments module's packages (module dl4j-spectral-experiments). */
    public static final List<String> ZOO = List.of("data", "report", "training", "zoo");

    /** Every term a "May use:" sentence may name besides project packages, and the packages it stands for. */
    public static final Map<String, List<String>> TERMS = Map.ofEntries(
            Map.entry("the JDK", List.of()),
            Map.entry("the JDK only", List.of()),
            // DL4J's API is made of ND4J's types (INDArray, DataSet, the updaters)
            Map.entry("DL4J", List.of("org.deeplearning4j..", "org.nd4j..")),
            Map.entry("ND4J", List.of("org.nd4j..")),
            Map.entry("SameDiff", List.of("org.nd4j.autodiff..")),
            Map.entry("DL4J's {@code dl4j-spark}", List.of("org.deeplearning4j.spark..")),
            Map.entry("DL4J's UI", List.of("org.deeplearning4j.ui..", "io.vertx..", "io.netty..")),
            Map.entry("Spark", List.of("org.apache.spark..", "scala..")),
            Map.entry("picocli", List.of("picocli..")),
            Map.entry("JMH", List.of("org.openjdk.jmh..")),
            Map.entry("JFreeChart", List.of("org.jfree..")),
            Map.entry("SLF4J", List.of("org.slf4j..")),
            Map.entry("JavaCPP", List.of("org.bytedeco.javacpp..")),
            Map.entry("bytedeco hdf5", List.of("org.bytedeco.hdf5..", "org.bytedeco.javacpp..")),
            Map.entry("the library", LIBRARY.stream().map(p -> ROOT + "." + p).toList()),
            Map.entry("dl4j-spectral-experiments", ZOO.stream().map(p -> ROOT + "." + p).toList()),
            Map.entry("dl4j-spectral-spark", List.of(ROOT + ".spark")),
            Map.entry("dl4j-spectral-examples", List.of(ROOT + ".examples..")));

    /** Always allowed: the JDK (with its com.sun.management extensions of java.lang.management). */
    private static final List<String> JDK = List.of("java..", "javax..", "jdk..", "com.sun.management..");

    private static final Pattern MAY_USE = Pattern.compile("<p>May use:(.*?)\\.(\\s|$)", Pattern.DOTALL);
    private static final Pattern LIBRARY_SUBSET = Pattern.compile("the library \\(([^)]*)\\)");
    private static final Pattern PARENTHESES = Pattern.compile("\\s*\\([^)]*\\)");
    private static final Pattern CODE = Pattern.compile("\\{@code ([A-Za-z.]+)}");

    /**
     * One package's rule.
     *
     * @param packageName the package
     * @param sentence    its "May use:" sentence as written
     * @param packages    the packages it may use (ArchUnit package identifiers)
     * @param classes     single classes it may use (fully qualified names)
     */
    public record Rule(String packageName, String sentence, Set<String> packages, Set<String> classes) {
    }

    private PackageRules() {
    }

    /** Every package-info.java under {@code sourceRoot} (a module's {@code src/main/java}), in path order. */
    public static List<Path> packageInfos(Path sourceRoot) {
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            List<Path> infos = files.filter(f -> f.getFileName().toString().equals("package-info.java")).sorted()
                    .toList();
            if (infos.isEmpty()) {
                throw new AssertionError(sourceRoot + ": no package-info.java");
            }
            return infos;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rule of the package-info {@code file}. */
    public static Rule read(Path file) {
        try {
            return parse(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rule of one package-info's source {@code text}; an error names the file and the term it cannot read. */
    public static Rule parse(Path file, String text) {
        Matcher packageLine = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE).matcher(text);
        if (!packageLine.find()) {
            throw new AssertionError(file + ": no package declaration");
        }
        String packageName = packageLine.group(1);
        String javadoc = text.lines().map(l -> l.replaceFirst("^\\s*/?\\*+/?\\s?", "")).reduce("", (a, b) -> a + " " + b)
                .replaceAll("\\s+", " ");
        Matcher mayUse = MAY_USE.matcher(javadoc);
        if (!mayUse.find()) {
            throw new AssertionError(file + ": no \"<p>May use: ...\" sentence; expected one naming what " + packageName
                    + " may depend on");
        }
        String sentence = mayUse.group(1).trim();
        Set<String> packages = new LinkedHashSet<>(JDK);
        packages.add(packageName);
        Set<String> classes = new LinkedHashSet<>();
        Matcher subset = LIBRARY_SUBSET.matcher(sentence);
        StringBuilder rest = new StringBuilder();
        while (subset.find()) {
            for (String p : subset.group(1).split(",")) {
                String name = p.trim();
                if (!LIBRARY.contains(name)) {
                    throw new AssertionError(file + ": May use: the library (" + subset.group(1) + "): " + name
                            + " is not a library package; expected one of " + LIBRARY);
                }
                packages.add(ROOT + "." + name);
            }
            subset.appendReplacement(rest, "");
        }
        subset.appendTail(rest);
        String terms = PARENTHESES.matcher(rest.toString()).replaceAll("");
        for (String raw : terms.split(",|;|\\band\\b")) {
            String term = raw.trim();
            if (term.isEmpty()) {
                continue;
            }
            Matcher code = CODE.matcher(term);
            if (TERMS.containsKey(term)) {
                packages.addAll(TERMS.get(term));
            } else if (code.matches()) {
                String name = ROOT + "." + code.group(1);
                if (Character.isUpperCase(code.group(1).charAt(code.group(1).lastIndexOf('.') + 1))) {
                    classes.add(name);
                } else {
                    packages.add(name);
                }
            } else {
                throw new AssertionError(file + ": May use: term \"" + term + "\" is not known; expected one of "
                        + new TreeSet<>(TERMS.keySet()) + " or {@code package} / {@code package.Class} of " + ROOT);
            }
        }
        return new Rule(packageName, sentence, packages, classes);
    }

    /** The ArchUnit rule for {@code rule}: the package's classes depend only on what it may use. */
    public static ArchRule archRule(Rule rule) {
        DescribedPredicate<JavaClass> inPackages = JavaClass.Predicates.resideInAnyPackage(
                rule.packages().toArray(String[]::new));
        DescribedPredicate<JavaClass> allowed = DescribedPredicate.describe(
                "are in " + rule.packages() + (rule.classes().isEmpty() ? "" : " or are " + rule.classes()),
                target -> {
                    JavaClass type = target.getBaseComponentType();
                    return type.isPrimitive() || inPackages.test(type) || rule.classes().stream()
                            .anyMatch(c -> type.getName().equals(c) || type.getName().startsWith(c + "$"));
                });
        return classes().that().resideInAPackage(rule.packageName()).should().onlyDependOnClassesThat(allowed)
                .because("its package-info says \"May use: " + rule.sentence() + "\"");
    }

    /** The main (not test) classes of the project on the class path. */
    public static JavaClasses mainClasses() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    /** One dynamic test per package-info under {@code sourceRoot}: its classes use only what it allows. */
    public static Stream<DynamicTest> tests(Path sourceRoot) {
        JavaClasses classes = mainClasses();
        return packageInfos(sourceRoot).stream().map(file -> DynamicTest.dynamicTest(
                sourceRoot.relativize(file.getParent()).toString().replace('/', '.'),
                () -> archRule(read(file)).check(classes)));
    }
}
