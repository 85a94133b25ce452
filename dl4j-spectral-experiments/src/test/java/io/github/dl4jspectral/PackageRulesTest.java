package io.github.dl4jspectral;

import io.github.dl4jspectral.testing.PackageRules;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.stream.Stream;

/** The experiments module's packages use only what their package-info allows ({@link PackageRules}). */
class PackageRulesTest {

    @TestFactory
    Stream<DynamicTest> everyPackageUsesOnlyWhatItsPackageInfoAllows() {
        return PackageRules.tests(Path.of("src/main/java"));
    }
}
