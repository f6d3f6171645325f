package io.sparkprop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The math packages do not know Spark exists (ml.linalg aside); nothing uses Breeze. */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sparkprop");
    }

    @Test
    void mathPackagesUseNoSparkBeyondLinalg() {
        noClasses().that().resideInAnyPackage("io.sparkprop.nn..", "io.sparkprop.optim..",
                        "io.sparkprop.data..", "io.sparkprop.train..")
                .should().dependOnClassesThat(
                        com.tngtech.archunit.base.DescribedPredicate.describe("Spark beyond ml.linalg",
                                c -> c.getPackageName().startsWith("org.apache.spark")
                                        && !c.getPackageName().equals("org.apache.spark.ml.linalg")))
                .check(classes);
    }

    @Test
    void theMathPackagesUseNoHadoop() {
        // Checkpoints reach HDFS or S3 through train.FileStore; its Hadoop implementation lives in spark.
        noClasses().that().resideInAnyPackage("io.sparkprop.nn..", "io.sparkprop.optim..",
                        "io.sparkprop.data..", "io.sparkprop.train..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.hadoop..")
                .check(classes);
    }

    @Test
    void onlyTheCommandLineKnowsTheBenchmark() {
        noClasses().that().resideOutsideOfPackages("io.sparkprop.bench..", "io.sparkprop.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("io.sparkprop.bench..")
                .check(classes);
    }

    @Test
    void nothingUsesBreeze() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("breeze..").check(classes);
    }

    @Test
    void theSparkFreeCoreIsActuallyImported() {
        // Guards the two rules above against passing vacuously on an empty import.
        if (classes.stream().noneMatch(c -> c.getName().equals("io.sparkprop.nn.Backprop"))
                || classes.stream().noneMatch(c -> c.getName().equals("io.sparkprop.train.Trainer"))) {
            throw new AssertionError("ArchUnit did not see the main classes");
        }
    }
}
