package io.sparkprop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer table of DESIGN.md section 4, which package may import which:
 *
 * <pre>
 *   nn     ml.linalg, netlib BLAS
 *   optim  nn
 *   data   nn, ml.linalg
 *   train  nn, optim, data
 *   spark, ml, cli   everything (Spark included)
 *   bench  everything; only cli imports it (the benchmark command)
 * </pre>
 *
 * nn, optim, data and train know nothing of Spark beyond ml.linalg; nothing uses Breeze; every
 * class lives in one of the eight packages, so a new package has to take its place in the table.
 */
class ArchitectureTest {
    static final String ROOT = "io.sparkprop";
    static final List<String> PACKAGES = List.of("nn", "optim", "data", "train", "onnx", "spark", "ml", "cli", "bench");

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    static String pkg(String name) {
        return ROOT + "." + name + "..";
    }

    /** Classes in {@code layer} use no sparkprop package but their own and {@code allowed}. */
    static void onlyProjectDependencies(String layer, String... allowed) {
        List<String> forbidden = new java.util.ArrayList<>(PACKAGES);
        forbidden.remove(layer);
        forbidden.removeAll(List.of(allowed));
        noClasses().that().resideInAPackage(pkg(layer))
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.stream().map(ArchitectureTest::pkg)
                        .toArray(String[]::new))
                .because("DESIGN.md section 4: " + layer + " may import " + (allowed.length == 0 ? "no other layer"
                        : String.join(", ", allowed)))
                .check(classes);
    }

    @Test
    void nnImportsNoOtherLayer() {
        onlyProjectDependencies("nn");
    }

    @Test
    void optimImportsOnlyNn() {
        onlyProjectDependencies("optim", "nn");
    }

    @Test
    void dataImportsOnlyNn() {
        onlyProjectDependencies("data", "nn");
    }

    @Test
    void trainImportsOnlyNnOptimAndData() {
        onlyProjectDependencies("train", "nn", "optim", "data");
    }

    @Test
    void onnxImportsOnlyNnAndDataAndNoSpark() {
        onlyProjectDependencies("onnx", "nn", "data");
        classes().that().resideInAPackage(pkg("onnx"))
                .should().onlyDependOnClassesThat().resideInAnyPackage(pkg("onnx"), pkg("nn"), pkg("data"), "java..",
                        "ai.onnx.proto..", "com.google.protobuf..")
                .because("the ONNX graph is built from the network alone, with ONNX's protobuf classes")
                .check(classes);
    }

    @Test
    void nnUsesOnlyTheJdkLinalgAndBlas() {
        classes().that().resideInAPackage(pkg("nn"))
                .should().onlyDependOnClassesThat().resideInAnyPackage(pkg("nn"), "java..", "jdk.incubator.vector..",
                        "org.apache.spark.ml.linalg..", "dev.ludovic.netlib..")
                .because("DESIGN.md section 4: nn may import ml.linalg and netlib BLAS")
                .check(classes);
    }

    @Test
    void mathPackagesUseNoSparkBeyondLinalg() {
        noClasses().that().resideInAnyPackage(pkg("nn"), pkg("optim"), pkg("data"), pkg("train"))
                .should().dependOnClassesThat(DescribedPredicate.describe("Spark beyond ml.linalg",
                        (JavaClass c) -> c.getPackageName().startsWith("org.apache.spark")
                                && !c.getPackageName().equals("org.apache.spark.ml.linalg")))
                .check(classes);
    }

    @Test
    void everyClassLivesInALayerOfTheTable() {
        classes().should().resideInAnyPackage(PACKAGES.stream().map(ArchitectureTest::pkg).toArray(String[]::new))
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
    void theLayersAreActuallyImported() {
        // Guards the rules above against passing vacuously on an empty import.
        for (String layer : PACKAGES) {
            if (classes.stream().noneMatch(c -> c.getPackageName().equals(ROOT + "." + layer))) {
                throw new AssertionError("ArchUnit saw no class in " + ROOT + "." + layer);
            }
        }
    }
}
