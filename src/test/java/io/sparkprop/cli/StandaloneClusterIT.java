package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.ml.FeedForwardClassificationModel;
import io.sparkprop.spark.SparkTestSupport;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real standalone cluster: a Master and two Workers, each its own JVM on 127.0.0.1, started
 * from the build's Spark jars only (target/spark-home/jars). sparkprop reaches the executors as on
 * any cluster, as the application jar (target/sparkprop.jar) given to spark-submit; it trains in
 * client and in cluster deploy mode (there the driver runs on a worker), then evaluates. Runs in
 * the integration-test phase, after {@code package} has built the jar.
 */
class StandaloneClusterIT {
    static final Path SPARK_HOME = Path.of(System.getenv("SPARK_HOME")).toAbsolutePath();
    static final Path JAR = Path.of(System.getProperty("sparkprop.jar", "target/sparkprop.jar")).toAbsolutePath();
    static final List<Process> started = new ArrayList<>();
    static Path dir;
    static String master;
    static List<Path> workDirs = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "package builds " + JAR);
        Path release = SPARK_HOME.resolve("RELEASE");
        if (!Files.exists(release)) {
            Files.createFile(release); // a distribution's marker: executors take their classpath from jars/
        }
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "standalone-test")), "run")
                .toAbsolutePath();
        int port = freePort();
        int webUi = freePort();
        master = "spark://127.0.0.1:" + port;
        started.add(startJvm("master", "512m", List.of("org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(webUi))));
        for (int i = 1; i <= 2; i++) {
            Path work = Files.createDirectories(dir.resolve("worker-" + i));
            workDirs.add(work);
            // Two cores each (one for a cluster-mode driver, one for an executor), 1 GB for their JVMs.
            started.add(startJvm("worker-" + i, "512m", List.of("org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--port", String.valueOf(freePort()),
                    "--webui-port", String.valueOf(freePort()), "--cores", "2", "--memory", "1g",
                    "--work-dir", work.toString(), master)));
        }
        awaitWorkers(webUi, 2);
    }

    @AfterAll
    static void stopCluster() {
        // Workers end their executors and drivers on SIGTERM; what still runs after that is killed.
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : started) {
            p.descendants().forEach(all::add);
            all.add(p.toHandle());
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).destroy();
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : all) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
    }

    @Test
    void trainsInClientAndClusterModeThenEvaluates() throws Exception {
        Path clientModel = dir.resolve("model-client");
        Path clusterModel = dir.resolve("model-cluster");

        Result client = submit("train-client", List.of("--deploy-mode", "client"), train(clientModel, "client"));
        assertEquals(0, client.code, client.log);
        assertTrue(client.output.contains("master " + master), client.output);
        assertTrue(client.output.contains("model saved to " + clientModel), client.output);
        assertTrue(Files.isDirectory(clientModel.resolve("metadata")));
        // Each worker ran an executor of that application (spark.cores.max=2, one core each).
        for (Path work : workDirs) {
            assertTrue(appFolders(work) >= 1, "no executor ran on " + work);
        }

        Result cluster = submit("train-cluster", List.of("--deploy-mode", "cluster",
                "--conf", "spark.standalone.submit.waitAppCompletion=true",
                "--driver-memory", "512m", "--driver-java-options", String.join(" ", driverOptions())),
                train(clusterModel, "cluster"));
        assertEquals(0, cluster.code, cluster.log);
        String driverOut = driverStdout();
        assertTrue(driverOut.contains("master " + master), driverOut);
        assertTrue(driverOut.contains("model saved to " + clusterModel), driverOut);
        assertTrue(Files.isDirectory(clusterModel.resolve("metadata")));

        // Same seed, same data: the driver's place changes the weights at most in the last bits
        // (a measured run differed in the 17th digit: which executor reads which partition).
        SparkTestSupport.session(); // loading a model takes a session; a local one in this JVM
        double[] a = FeedForwardClassificationModel.load(clientModel.toString()).weights().toArray();
        double[] b = FeedForwardClassificationModel.load(clusterModel.toString()).weights().toArray();
        assertEquals(a.length, b.length);
        double diff = SparkTestSupport.relativeDifference(b, a);
        assertTrue(diff < 1e-9, "client and cluster mode weights differ by " + diff);

        Result evaluated = submit("evaluate", List.of("--deploy-mode", "client"), List.of("evaluate",
                "--model", clusterModel.toString(), "--data", Path.of("src/main/resources/datasets/digits.csv").toAbsolutePath().toString(),
                "--label", "digit", "--json"));
        assertEquals(0, evaluated.code, evaluated.log);
        String json = evaluated.output.substring(evaluated.output.indexOf('{'), evaluated.output.lastIndexOf('}') + 1);
        JsonNode m = new ObjectMapper().readTree(json);
        assertEquals(1797, m.get("rows").asInt());
        assertTrue(m.get("accuracy").asDouble() > 0.9, json);
    }

    static List<String> train(Path model, String name) {
        return List.of("train", "--conf", Path.of("conf", "default.properties").toAbsolutePath().toString(),
                "--set", "maxEpochs=5", "--set", "hiddenLayers=32",
                "--set", "output.report=" + dir.resolve("report-" + name), "--model", model.toString());
    }

    static List<String> driverOptions() {
        List<String> options = new ArrayList<>(ManagementOpens.FLAGS);
        options.add("--add-modules=jdk.incubator.vector");
        return options;
    }

    /** {@code output}: what sparkprop printed (stdout); {@code log}: the end of Spark's log, for messages. */
    record Result(int code, String output, String log) {
    }

    /** spark-submit, as a user types it, with the build's Spark: SparkSubmit's main class. */
    static Result submit(String name, List<String> mode, List<String> command) throws Exception {
        List<String> args = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit", "--master", master));
        args.addAll(mode);
        args.addAll(List.of("--class", "io.sparkprop.cli.Main",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.executor.memory=512m", "--conf", "spark.executor.cores=1",
                "--conf", "spark.cores.max=2", "--conf", "spark.executorEnv.OPENBLAS_NUM_THREADS=1",
                "--conf", "spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector",
                JAR.toString()));
        args.addAll(command);
        Process p = startJvm(name, "1g", args);
        started.add(p);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            throw new AssertionError(name + " did not finish in 10 minutes; output in " + dir.resolve(name + ".log"));
        }
        String err = Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
        return new Result(p.exitValue(), Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8),
                err.substring(Math.max(0, err.length() - 4000)));
    }

    static Process startJvm(String name, String heap, List<String> mainAndArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap));
        command.addAll(driverOptions());
        command.addAll(List.of("-cp", SPARK_HOME.resolve("jars") + File.separator + "*"));
        command.addAll(mainAndArgs);
        // stdout (what sparkprop prints) apart from stderr (Spark's log).
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_HOME", SPARK_HOME.toString());
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        return pb.start();
    }

    static void awaitWorkers(int webUi, int count) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUi + "/json/")).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                JsonNode state = new ObjectMapper().readTree(last);
                if (state.path("aliveworkers").asInt() == count) {
                    return;
                }
            } catch (IOException notYet) {
                // the master's web UI is not up yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no " + count + " workers registered with " + master + " in 3 minutes: " + last);
    }

    static long appFolders(Path work) throws IOException {
        try (Stream<Path> s = Files.list(work)) {
            return s.filter(p -> p.getFileName().toString().startsWith("app-")).count();
        }
    }

    /** What the cluster-mode driver printed: the worker that ran it keeps its stdout in its work folder. */
    static String driverStdout() throws IOException {
        for (Path work : workDirs) {
            try (Stream<Path> s = Files.list(work)) {
                for (Path d : (Iterable<Path>) s.filter(p -> p.getFileName().toString().startsWith("driver-"))::iterator) {
                    Path out = d.resolve("stdout");
                    if (Files.exists(out)) {
                        return Files.readString(out, StandardCharsets.UTF_8) + "\n--- stderr:\n"
                                + Files.readString(d.resolve("stderr"), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        throw new AssertionError("no driver-* folder in " + workDirs);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
