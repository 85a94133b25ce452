package io.github.dl4jspectral;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.library.dependencies.SliceRule;
import io.github.dl4jspectral.testing.PackageRules;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library's packages use only what their package-info allows, and no two depend on each other, except through
 * the dependencies named in {@link #CYCLE_EXCEPTIONS}.
 */
class PackageRulesTest {

    /**
     * A dependency of every class of one library package on another that the no-cycles rule leaves out.
     *
     * @param from   the depending package (below {@link PackageRules#ROOT})
     * @param to     the package it depends on
     * @param reason why it is there
     */
    record CycleException(String from, String to, String reason) {
    }

    static final List<CycleException> CYCLE_EXCEPTIONS = List.of(
            new CycleException("conf", "layers", "a DL4J layer configuration instantiates its runtime layer "
                    + "(Layer.instantiate), as DL4J's own configurations do"),
            new CycleException("conf", "params", "a DL4J layer configuration names its parameter initializer "
                    + "(Layer.initializer), as DL4J's own configurations do"),
            new CycleException("conf", "blocks", "the settings hold the layer's PhiBlock, while the blocks name "
                    + "their parameter groups with conf.SpectralParam, the public enum of parameter keys"));

    private static String qualified(String libraryPackage) {
        return PackageRules.ROOT + "." + libraryPackage;
    }

    private static JavaClasses library() {
        return PackageRules.mainClasses().that(JavaClass.Predicates.resideInAnyPackage(
                PackageRules.LIBRARY.stream().map(PackageRulesTest::qualified).toArray(String[]::new)));
    }

    @TestFactory
    Stream<DynamicTest> everyPackageUsesOnlyWhatItsPackageInfoAllows() {
        return PackageRules.tests(Path.of("src/main/java"));
    }

    @Test
    void libraryPackagesAreFreeOfCyclesBesideTheNamedExceptions() {
        SliceRule rule = slices().matching(PackageRules.ROOT + ".(*)..").should().beFreeOfCycles();
        for (CycleException exception : CYCLE_EXCEPTIONS) {
            rule = rule.ignoreDependency(JavaClass.Predicates.resideInAPackage(qualified(exception.from())),
                    JavaClass.Predicates.resideInAPackage(qualified(exception.to())));
        }
        rule.check(library());
    }

    @Test
    void everyCycleExceptionIsStillADependency() {
        JavaClasses library = library();
        for (CycleException exception : CYCLE_EXCEPTIONS) {
            boolean used = library.stream()
                    .filter(c -> c.getPackageName().equals(qualified(exception.from())))
                    .flatMap(c -> c.getDirectDependenciesFromSelf().stream())
                    .anyMatch(d -> d.getTargetClass().getBaseComponentType().getPackageName()
                            .equals(qualified(exception.to())));
            assertTrue(used, exception.from() + " no longer depends on " + exception.to()
                    + ": remove the exception from CYCLE_EXCEPTIONS");
        }
    }
}
