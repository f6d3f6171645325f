package io.sparkprop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkprop.bench.Benchmark;
import io.sparkprop.bench.ScalingBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Time sparkprop against Spark's MultilayerPerceptronClassifier on the same cached data, BLAS"
                + " and network (784-256-10, sigmoid, softmax, full-batch gradient descent), interleaved; measure"
                + " dgemm, the overhead of mini-batch steps and the load time. Writes JSON.")
final class BenchmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "fashion-mnist|synthetic", defaultValue = "fashion-mnist",
            description = "fashion-mnist (falls back to synthetic data of the same shape when the IDX files are"
                    + " missing) or synthetic; default: ${DEFAULT-VALUE}")
    String data;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "5",
            description = "full-batch iterations timed per round for each trainer; default: ${DEFAULT-VALUE}")
    int iterations;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "3",
            description = "interleaved rounds (sparkprop, Spark MLP, ...); default: ${DEFAULT-VALUE}")
    int rounds;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "60000",
            description = "rows of synthetic data; default: ${DEFAULT-VALUE}")
    int rows;

    @Option(names = "--batch-steps", paramLabel = "N", defaultValue = "40",
            description = "mini-batch steps (batch 1024) timed for the overhead share; default: ${DEFAULT-VALUE}")
    int batchSteps;

    @Option(names = "--output", paramLabel = "FILE",
            description = "where the JSON goes; default: reports/benchmark.json, with --scaling reports/scaling.json,"
                    + " with --recipe reports/recipe.json")
    Path output;

    @Option(names = "--scaling",
            description = "instead: where a training step's time goes (scheduling, weights out, compute, sums back,"
                    + " merge, update) and the bytes it moves, in local mode and on local-cluster with --executors"
                    + " executor JVMs, or on the --master given, as a job a step and on step tasks; then a scaling"
                    + " model of each fitted to those runs and its predictions for 8 to 256 executors"
                    + " (docs/SCALING.md)")
    boolean scaling;

    @Option(names = "--executors", paramLabel = "N,N,...", split = ",", defaultValue = "1,2,4",
            description = "with --scaling in local mode: the local-cluster sizes to measure; default: ${DEFAULT-VALUE}")
    int[] executors;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "30",
            description = "with --scaling: timed steps of each kind per master; default: ${DEFAULT-VALUE}")
    int steps;

    @Option(names = "--bandwidth-gbit", paramLabel = "GBIT", defaultValue = "10",
            description = "with --scaling: the network the predictions are for, Gbit/s; default: ${DEFAULT-VALUE}")
    double bandwidthGbit;

    @Option(names = "--driver-ms-per-executor", paramLabel = "MS", defaultValue = "1",
            description = "with --scaling: a second set of predictions with this driver cost per executor instead of"
                    + " the one fitted here (an assumption, printed as one); default: ${DEFAULT-VALUE}")
    double driverMsPerExecutor;

    @Option(names = "--latency-ms", paramLabel = "MS", defaultValue = "0.1",
            description = "with --scaling: that network's latency, ms; default: ${DEFAULT-VALUE}")
    double latencyMs;

    @Option(names = "--recipe", paramLabel = "FILE",
            description = "instead: time to test accuracy of a classification job's conf file (training seconds,"
                    + " test scoring excluded, until data.test's accuracy first reaches --target), e.g."
                    + " conf/fashion-mnist.properties; src/bench/fashion_pytorch.py is PyTorch's side")
    Path recipe;

    @Option(names = "--compare", paramLabel = "KEY=V1,V2,...",
            description = "with --recipe: one run per value of KEY, interleaved over --rounds; e.g."
                    + " precision=float32,float64")
    String compare;

    @Option(names = "--target", paramLabel = "ACCURACY", defaultValue = "0.88",
            description = "with --recipe: the test accuracy to time; default: ${DEFAULT-VALUE}")
    double target;

    @Override
    public Integer call() throws Exception {
        if (iterations < 1 || rounds < 1 || rows < 10 || batchSteps < 1) {
            throw new io.sparkprop.data.InputException("--iterations, --rounds and --batch-steps must be >= 1,"
                    + " --rows >= 10");
        }
        if (scaling && (steps < 3 || executors.length == 0 || java.util.Arrays.stream(executors).anyMatch(e -> e < 1)
                || !(bandwidthGbit > 0) || !(latencyMs >= 0) || !(driverMsPerExecutor >= 0))) {
            throw new io.sparkprop.data.InputException("--steps must be >= 3, --executors a list of counts >= 1,"
                    + " --bandwidth-gbit > 0, --latency-ms and --driver-ms-per-executor >= 0");
        }
        if (!data.equals("fashion-mnist") && !data.equals("synthetic")) {
            throw new io.sparkprop.data.InputException("--data must be fashion-mnist or synthetic, got '" + data + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> result;
        Path output = this.output != null ? this.output : Path.of(recipe != null ? "reports/recipe.json"
                : scaling ? "reports/scaling.json" : "reports/benchmark.json");
        if (recipe != null) {
            result = new RecipeBenchmark(out).run(Sessions.get("sparkprop recipe benchmark"), recipe, variants(),
                    rounds, target);
        } else if (scaling) {
            result = new ScalingBenchmark(master -> Sessions.get("sparkprop scaling benchmark", master), out)
                    .run(scalingMasters(), steps, bandwidthGbit, latencyMs, driverMsPerExecutor);
        } else {
            result = new Benchmark(Sessions.get("sparkprop benchmark"), out).run(data, rows, iterations, rounds,
                    batchSteps);
        }
        Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
        if (output.getParent() != null) {
            Files.createDirectories(output.getParent());
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), result);
        Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        out.println("JSON: " + output);
        return 0;
    }

    /** The --compare values as override lists; one empty list (the file as it is) without it. */
    private List<List<String>> variants() {
        if (compare == null) {
            return List.of(List.of());
        }
        int eq = compare.indexOf('=');
        if (eq <= 0 || eq == compare.length() - 1) {
            throw new io.sparkprop.data.InputException("--compare must be KEY=V1,V2,..., got '" + compare + "'");
        }
        List<List<String>> variants = new ArrayList<>();
        for (String value : compare.substring(eq + 1).split(",")) {
            variants.add(List.of(compare.substring(0, eq) + "=" + value.trim()));
        }
        return variants;
    }

    /**
     * Local mode (spark-submit's default here): this machine's local mode, then local-cluster with
     * each executor count, one core and 1 GB each; any other master: that master alone.
     */
    private List<String> scalingMasters() {
        String master = new SparkConf().get("spark.master", "local[*]");
        if (!master.startsWith("local") || master.startsWith("local-cluster")) {
            return List.of(master);
        }
        List<String> masters = new ArrayList<>();
        masters.add(master);
        for (int n : executors) {
            masters.add("local-cluster[" + n + ",1,1024]");
        }
        return masters;
    }
}
