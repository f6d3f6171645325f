package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.spark.SparkTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Train, evaluate and predict end to end on the bundled datasets, through Main.run. */
class CommandsTest {
    @TempDir
    static Path dir;
    static String model;
    static CliRunner.Result trained;

    @BeforeAll
    static void trainTheDefaultJob() {
        model = dir.resolve("model").toString();
        trained = CliRunner.run("train", "--conf", "conf/default.properties", "--set", "maxEpochs=12",
                "--set", "output.report=" + dir.resolve("report"), "--model", model);
    }

    @Test
    void trainSavesAModelAndAReport() throws Exception {
        assertEquals(0, trained.code(), trained.err());
        assertTrue(trained.out().contains("BLAS "), trained.out());
        assertTrue(trained.out().contains("64 features | 10 classes"), trained.out());
        assertTrue(trained.out().contains("epoch  12/12"), trained.out());
        assertTrue(trained.out().contains("val acc"), trained.out());
        assertTrue(Files.isDirectory(Path.of(model, "metadata")));
        Path report = dir.resolve("report");
        for (String f : List.of("index.html", "loss.png", "metric.png", "confusion.png", "metrics.jsonl")) {
            assertTrue(Files.size(report.resolve(f)) > 0, f);
        }
        List<String> lines = Files.readAllLines(report.resolve("metrics.jsonl"));
        assertEquals(12, lines.size());
        JsonNode last = new ObjectMapper().readTree(lines.get(11));
        assertEquals(12, last.get("epoch").asInt());
        assertTrue(last.get("validationMetric").asDouble() > 0.9, lines.get(11));
        String accuracy = trained.out().replaceAll("(?s).*test: rows \\d+  accuracy ([0-9.]+).*", "$1");
        assertTrue(Double.parseDouble(accuracy) >= 0.95, "held-out accuracy " + accuracy);
    }

    @Test
    void evaluatePrintsClassifierMetricsAsJson() throws Exception {
        CliRunner.Result r = CliRunner.run("evaluate", "--model", model, "--data",
                CliRunner.resource("/datasets/digits.csv"), "--label", "digit", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode m = new ObjectMapper().readTree(r.out());
        assertEquals(1797, m.get("rows").asInt());
        assertTrue(m.get("accuracy").asDouble() > 0.95, r.out());
        assertTrue(m.get("logLoss").asDouble() > 0);
        assertEquals(10, m.get("perClass").size());
        assertEquals(10, m.get("confusionMatrix").size());
    }

    @Test
    void predictWritesCsvWithInputColumnsPredictionAndProbabilities() throws Exception {
        Path out = dir.resolve("predictions.csv");
        CliRunner.Result r = CliRunner.run("predict", "--model", model, "--data",
                CliRunner.resource("/datasets/digits.csv"), "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(1798, lines.size());
        String header = lines.get(0);
        assertTrue(header.startsWith("pixel0,") && header.contains(",digit,prediction,probability_0,"), header);
        assertTrue(header.endsWith(",probability_9"), header);
    }

    @Test
    void predictWritesParquetWithAProbabilityVector() {
        Path out = dir.resolve("predictions.parquet");
        CliRunner.Result r = CliRunner.run("predict", "--model", model, "--data",
                CliRunner.resource("/datasets/digits.csv"), "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        List<Row> rows = SparkTestSupport.session().read().parquet(out.toString())
                .select("digit", "prediction", "probability").collectAsList();
        assertEquals(1797, rows.size());
        long right = rows.stream().filter(row -> row.getDouble(0) == row.getDouble(1)).count();
        assertTrue(right > 1700, right + " right of 1797");
    }

    @Test
    void regressionTrainsAndEvaluatesOnDiabetes() throws Exception {
        String regression = dir.resolve("diabetes").toString();
        CliRunner.Result r = CliRunner.run("train", "--conf", "conf/diabetes.properties", "--model", regression,
                "--set", "output.report=" + dir.resolve("diabetes-report"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("val rmse"), r.out());
        CliRunner.Result e = CliRunner.run("evaluate", "--model", regression, "--data",
                CliRunner.resource("/datasets/diabetes.csv"), "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode m = new ObjectMapper().readTree(e.out());
        assertTrue(m.get("r2").asDouble() > 0.4, e.out());
        assertTrue(m.get("rmse").asDouble() < 60, e.out());
    }

    @Test
    void helpKeysListsEveryKeyWithItsDefault() {
        CliRunner.Result r = CliRunner.run("train", "--help-keys");
        assertEquals(0, r.code());
        for (String key : ConfigKeys.allNames()) {
            assertTrue(r.out().contains(key), key);
        }
        assertTrue(r.out().matches("(?s).*stepSize\\s+0\\.001.*"), r.out());
    }
}
