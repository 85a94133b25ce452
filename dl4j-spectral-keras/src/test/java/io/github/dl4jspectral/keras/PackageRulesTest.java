package io.github.dl4jspectral.keras;

import io.github.dl4jspectral.testing.PackageRules;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.stream.Stream;

/** The Keras import's package uses only what its package-info allows ({@link PackageRules}). */
class PackageRulesTest {

    @TestFactory
    Stream<DynamicTest> everyPackageUsesOnlyWhatItsPackageInfoAllows() {
        return PackageRules.tests(Path.of("src/main/java"));
    }
}
