package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.ml.FeedForwardClassificationModel;
import io.sparkprop.spark.HadoopFileStore;
import io.sparkprop.train.CheckpointStore;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A training process killed (SIGKILL, not asked) after epoch 2, then resumed with --resume,
 * ends with bitwise the weights of a run that was never interrupted.
 */
class KillAndResumeTest {

    static List<String> trainArgs(Path dir, String optimizer, String model) {
        return new ArrayList<>(List.of("train", "--conf", "conf/default.properties",
                "--set", "optimizer=" + optimizer, "--set", "maxEpochs=4", "--set", "hiddenLayers=16",
                "--set", "checkpointDir=" + dir.resolve("checkpoints-" + model),
                "--set", "output.report=" + dir.resolve("report-" + model), "--model", dir.resolve(model).toString()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gd", "momentum", "adam"})
    void aKilledRunResumesToTheSameWeights(String optimizer, @TempDir Path dir) throws Exception {
        List<String> args = trainArgs(dir, optimizer, "killed");
        Path checkpoints = dir.resolve("checkpoints-killed");
        Process child = startJvm(args);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("epoch   2/4")) {
                // reading the progress lines until epoch 2 has been reported
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(checkpoints.resolve("epoch-000002.committed")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(child.exitValue() != 0, "the process was killed");
        assertEquals(2, new CheckpointStore(new HadoopFileStore(checkpoints.toString(),
                new org.apache.hadoop.conf.Configuration()), 3).latest().orElseThrow().epoch());
        assertTrue(!Files.exists(dir.resolve("killed")), "no model from the killed run");

        List<String> resume = new ArrayList<>(args);
        resume.add("--resume");
        CliRunner.Result resumed = CliRunner.run(resume.toArray(new String[0]));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("epoch   3/4") && !resumed.out().contains("epoch   2/4"), resumed.out());

        CliRunner.Result straight = CliRunner.run(trainArgs(dir, optimizer, "straight").toArray(new String[0]));
        assertEquals(0, straight.code(), straight.err());

        double[] a = FeedForwardClassificationModel.load(dir.resolve("killed").toString()).weights().toArray();
        double[] b = FeedForwardClassificationModel.load(dir.resolve("straight").toString()).weights().toArray();
        assertArrayEquals(b, a, 0.0);
    }

    /** The command line in a JVM of its own, in local[2] like the test session. */
    static Process startJvm(List<String> args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("sparkprop.test.classpath") + File.pathSeparator
                + Path.of(System.getenv("SPARK_HOME"), "jars", "*");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-Dspark.master=local[2]",
                "-Dspark.ui.enabled=false", "-Dlog4j2.configurationFile=conf/log4j2.properties"));
        command.addAll(ManagementOpens.FLAGS);
        command.addAll(List.of("-cp", classpath, Main.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }
}
