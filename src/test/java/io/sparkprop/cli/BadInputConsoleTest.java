package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees on the console for a bad cell: the real submit.sh, in a process of its own with
 * local[2] (so the cell fails inside an executor task, as on a cluster), prints exactly the one
 * error line and exits with 1; Spark's task-failure logging goes to the log file instead.
 *
 * <p>submit.sh runs from a copy of the project's launcher files whose jar is made here from the
 * compiled classes, so the test needs no packaged jar and never starts a Maven build.
 */
class BadInputConsoleTest {

    @Test
    void aBadCellInAnExecutorTaskPrintsOneLineAndExitsWithOne(@TempDir Path dir) throws Exception {
        Path install = install(dir.resolve("install"));
        Path work = Files.createDirectories(dir.resolve("work"));
        List<String> lines = new ArrayList<>();
        lines.add("acidity,sugar,alcohol,quality");
        for (int i = 2; i <= 40; i++) {
            lines.add((6 + i % 3) + "," + (1.5 + i % 5) + "," + (i == 18 ? "abc" : String.valueOf(9 + i % 4))
                    + "," + (i % 2));
        }
        Path csv = work.resolve("wine.csv");
        Files.write(csv, lines);

        List<String> command = List.of("bash", install.resolve("submit.sh").toString(),
                "--master", "local[2]", "--driver-memory", "1g",
                "train", "--conf", install.resolve("conf/default.properties").toString(),
                "--set", "data.train=" + csv, "--set", "data.label=quality", "--set", "maxEpochs=1",
                "--model", work.resolve("model").toString());
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().remove("SPARK_HOME"); // the launcher's own local mode, as on a machine without Spark
        pb.environment().remove("SPARKPROP_LOG");
        Process p = pb.start();
        String console = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "submit.sh did not finish");

        assertEquals(List.of("sparkprop: error: " + csv + ": line 18, column 'alcohol': 'abc' is not a number"),
                console.lines().toList(), console);
        assertEquals(1, p.exitValue(), console);
        Path log = work.resolve("reports/spark.log");
        assertTrue(Files.readString(log).contains("is not a number"), "Spark's task failure is in " + log);
        assertFalse(Files.exists(work.resolve("model")), "no model");
    }

    /** submit.sh and conf/ beside a target/ holding a jar of the compiled classes and the build's Spark jars. */
    static Path install(Path root) throws IOException {
        Path target = Files.createDirectories(root.resolve("target"));
        Files.copy(Path.of("submit.sh"), root.resolve("submit.sh"));
        Files.createDirectories(root.resolve("conf"));
        for (String f : List.of("log4j2.properties", "default.properties")) {
            Files.copy(Path.of("conf", f), root.resolve("conf").resolve(f));
        }
        Files.createSymbolicLink(target.resolve("spark-home"), Path.of(System.getenv("SPARK_HOME")).toAbsolutePath());
        Path classes = Path.of(System.getProperty("sparkprop.test.classpath").split(java.io.File.pathSeparator)[0]);
        try (OutputStream file = Files.newOutputStream(target.resolve("sparkprop.jar"));
             JarOutputStream jar = new JarOutputStream(file);
             Stream<Path> all = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, jar);
                jar.closeEntry();
            }
        }
        return root;
    }
}
