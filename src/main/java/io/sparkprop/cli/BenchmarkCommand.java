package io.sparkprop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkprop.bench.Benchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
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

    @Option(names = "--output", paramLabel = "FILE", defaultValue = "reports/benchmark.json",
            description = "where the JSON goes; default: ${DEFAULT-VALUE}")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (iterations < 1 || rounds < 1 || rows < 10 || batchSteps < 1) {
            throw new io.sparkprop.data.InputException("--iterations, --rounds and --batch-steps must be >= 1,"
                    + " --rows >= 10");
        }
        if (!data.equals("fashion-mnist") && !data.equals("synthetic")) {
            throw new io.sparkprop.data.InputException("--data must be fashion-mnist or synthetic, got '" + data + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> result = new Benchmark(Sessions.get("sparkprop benchmark"), out)
                .run(data, rows, iterations, rounds, batchSteps);
        Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
        if (output.getParent() != null) {
            Files.createDirectories(output.getParent());
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), result);
        Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        out.println("JSON: " + output);
        return 0;
    }
}
