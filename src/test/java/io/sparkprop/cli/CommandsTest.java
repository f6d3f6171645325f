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

/**
 * Train, evaluate and predict end to end on the bundled datasets, through Main.run. Evaluation and
 * prediction score rows that training never saw: every fifth row of the dataset is written to a
 * held-out CSV, the others to the training CSV.
 */
class CommandsTest {
    @TempDir
    static Path dir;
    static String model;
    static CliRunner.Result trained;
    static String digitsTrain;
    static String digitsHeldOut;
    static final int DIGITS_HELD_OUT = 360; // rows 0, 5, 10, ... of 1,797

    @BeforeAll
    static void trainTheDefaultJob() throws Exception {
        digitsTrain = dir.resolve("digits-train.csv").toString();
        digitsHeldOut = dir.resolve("digits-held-out.csv").toString();
        split("/datasets/digits.csv", digitsTrain, digitsHeldOut);
        model = dir.resolve("model").toString();
        trained = CliRunner.run("train", "--conf", "conf/default.properties", "--set", "maxEpochs=12",
                "--set", "data.train=" + digitsTrain, "--set", "data.test=" + digitsHeldOut,
                "--set", "output.report=" + dir.resolve("report"), "--model", model);
    }

    /** Writes the header and every fifth data row (the first included) to heldOut, the rest to train. */
    static void split(String resource, String train, String heldOut) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(CliRunner.resource(resource)));
        List<String> t = new java.util.ArrayList<>(List.of(lines.get(0)));
        List<String> h = new java.util.ArrayList<>(List.of(lines.get(0)));
        for (int i = 1; i < lines.size(); i++) {
            ((i - 1) % 5 == 0 ? h : t).add(lines.get(i));
        }
        Files.write(Path.of(train), t);
        Files.write(Path.of(heldOut), h);
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
        assertTrue(trained.out().contains("test: rows " + DIGITS_HELD_OUT + "  accuracy"), trained.out());
        String accuracy = trained.out().replaceAll("(?s).*test: rows \\d+  accuracy ([0-9.]+).*", "$1");
        assertTrue(Double.parseDouble(accuracy) >= 0.93, "held-out accuracy " + accuracy);
    }

    /**
     * data.weight: the weight column is read but is not a feature, in train and predict; rows of
     * weight 0 are as good as absent, so a table with wrong-label rows weighted 0 trains (full batch)
     * the model the clean table trains.
     */
    @Test
    void aWeightColumnWeighsRowsAndIsNotAFeature() throws Exception {
        List<String> clean = new java.util.ArrayList<>(List.of("a,b,w,label"));
        List<String> noisy = new java.util.ArrayList<>(List.of("a,b,w,label"));
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < 300; i++) {
            double a = r.nextDouble(-1, 1);
            double b = r.nextDouble(-1, 1);
            String row = a + "," + b + ",1," + (a + b > 0 ? 1 : 0);
            clean.add(row);
            noisy.add(row);
            noisy.add(a + "," + b + ",0," + (a + b > 0 ? 0 : 1)); // the wrong label, weight 0
        }
        List<double[]> weights = new java.util.ArrayList<>();
        for (String name : List.of("clean", "noisy")) {
            Path csv = Files.write(dir.resolve(name + ".csv"), name.equals("clean") ? clean : noisy);
            String out = dir.resolve("weighted-" + name).toString();
            CliRunner.Result t = CliRunner.run("train", "--conf", "conf/default.properties", "--set",
                    "data.train=" + csv, "--set", "data.label=label", "--set", "data.weight=w", "--set",
                    "data.testFraction=0", "--set", "validationFraction=0", "--set", "hiddenLayers=6", "--set",
                    "maxEpochs=3", "--set", "batchSize=0", "--set", "optimizer=gd", "--set", "stepSize=0.5", "--set",
                    "standardize=false", "--set", "output.report=" + out + "-report", "--model", out);
            assertEquals(0, t.code(), t.err());
            assertTrue(t.out().contains("| 2 features |"), "w is not a feature: " + t.out());
            weights.add(io.sparkprop.ml.FeedForwardClassificationModel.load(out).weights().toArray());
            CliRunner.Result p = CliRunner.run("predict", "--model", out, "--data", csv.toString(), "--output",
                    out + ".csv");
            assertEquals(0, p.code(), p.err());
            assertEquals(name.equals("clean") ? 301 : 601, Files.readAllLines(Path.of(out + ".csv")).size());
        }
        // The same sums, added in another order (the noisy file splits into other partitions).
        double diff = io.sparkprop.spark.SparkTestSupport.relativeDifference(weights.get(1), weights.get(0));
        assertTrue(diff < 1e-9, "weights differ by " + diff);
    }

    @Test
    void evaluateScoresTheHeldOutRowsAsJson() throws Exception {
        CliRunner.Result r = CliRunner.run("evaluate", "--model", model, "--data", digitsHeldOut, "--label", "digit",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode m = new ObjectMapper().readTree(r.out());
        assertEquals(DIGITS_HELD_OUT, m.get("rows").asInt());
        assertTrue(m.get("accuracy").asDouble() > 0.93, r.out());
        assertTrue(m.get("logLoss").asDouble() > 0 && m.get("logLoss").asDouble() < 0.5, r.out());
        assertEquals(10, m.get("perClass").size());
        long diagonal = 0;
        long all = 0;
        for (int k = 0; k < 10; k++) {
            JsonNode row = m.get("confusionMatrix").get(k);
            assertEquals(10, row.size());
            diagonal += row.get(k).asLong();
            for (JsonNode v : row) {
                all += v.asLong();
            }
        }
        assertEquals(DIGITS_HELD_OUT, all);
        assertEquals(m.get("accuracy").asDouble(), (double) diagonal / all, 1e-12);
        // The same rows, the same numbers as train's own test line.
        String trainAccuracy = trained.out().replaceAll("(?s).*test: rows \\d+  accuracy ([0-9.]+).*", "$1");
        assertEquals(Double.parseDouble(trainAccuracy), m.get("accuracy").asDouble(), 1e-4);
    }

    @Test
    void predictWritesCsvWithInputColumnsPredictionAndProbabilities() throws Exception {
        Path out = dir.resolve("predictions.csv");
        CliRunner.Result r = CliRunner.run("predict", "--model", model, "--data", digitsHeldOut,
                "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(DIGITS_HELD_OUT + 1, lines.size());
        String header = lines.get(0);
        assertTrue(header.startsWith("pixel0,") && header.contains(",digit,prediction,probability_0,"), header);
        assertTrue(header.endsWith(",probability_9"), header);
    }

    @Test
    void anExportedModelReproducesPredictsCsvInOnnxruntime() throws Exception {
        Path csv = dir.resolve("predictions-for-onnx.csv");
        CliRunner.Result p = CliRunner.run("predict", "--model", model, "--data", digitsHeldOut, "--output", csv.toString());
        assertEquals(0, p.code(), p.err());
        Path onnx = dir.resolve("exported/digits.onnx");
        CliRunner.Result e = CliRunner.run("export", "--model", model, "--format", "onnx", "--output", onnx.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("opset 17"), e.out());

        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        int prediction = header.indexOf("prediction");
        int firstProbability = header.indexOf("probability_0");
        float[][] x = new float[lines.size() - 1][64];
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            for (int j = 0; j < 64; j++) {
                x[i - 1][j] = Float.parseFloat(cells[header.indexOf("pixel" + j)]);
            }
        }
        var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        try (var session = env.createSession(onnx.toString(), new ai.onnxruntime.OrtSession.SessionOptions());
             var input = ai.onnxruntime.OnnxTensor.createTensor(env, x);
             var result = session.run(java.util.Map.of("features", input))) {
            long[] labels = (long[]) result.get("label").orElseThrow().getValue();
            float[][] probabilities = (float[][]) result.get("probabilities").orElseThrow().getValue();
            assertEquals(DIGITS_HELD_OUT, labels.length);
            for (int i = 1; i < lines.size(); i++) {
                String[] cells = lines.get(i).split(",");
                assertEquals(Double.parseDouble(cells[prediction]), (double) labels[i - 1], "label of row " + i);
                for (int k = 0; k < 10; k++) {
                    double expected = Double.parseDouble(cells[firstProbability + k]);
                    assertEquals(expected, probabilities[i - 1][k], 1e-4 * Math.max(expected, 1e-3),
                            "probability_" + k + " of row " + i);
                }
            }
        }
    }

    @Test
    void exportRefusesAnUnknownFormatAndAFolderInOneLine() throws Exception {
        CliRunner.Result format = CliRunner.run("export", "--model", model, "--format", "pmml", "--output",
                dir.resolve("m.pmml").toString());
        assertEquals(1, format.code());
        assertEquals("sparkprop: error: --format pmml: unknown export format; expected one of [onnx]",
                format.err().strip());
        assertTrue(Files.notExists(dir.resolve("m.pmml")));

        Path folder = Files.createDirectories(dir.resolve("a-folder"));
        CliRunner.Result out = CliRunner.run("export", "--model", model, "--output", folder.toString());
        assertEquals(1, out.code());
        assertEquals("sparkprop: error: ONNX export to " + folder + ": that is a folder; give a file name",
                out.err().strip());
        try (var inside = Files.list(folder)) {
            assertEquals(0, inside.count());
        }
    }

    @Test
    void predictWritesParquetWithAProbabilityVector() {
        Path out = dir.resolve("predictions.parquet");
        CliRunner.Result r = CliRunner.run("predict", "--model", model, "--data", digitsHeldOut,
                "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        List<Row> rows = SparkTestSupport.session().read().parquet(out.toString())
                .select("digit", "prediction", "probability").collectAsList();
        assertEquals(DIGITS_HELD_OUT, rows.size());
        long right = rows.stream().filter(row -> row.getDouble(0) == row.getDouble(1)).count();
        assertTrue(right > 0.93 * DIGITS_HELD_OUT, right + " right of " + DIGITS_HELD_OUT);
    }

    @Test
    void regressionTrainsAndEvaluatesOnDiabetes() throws Exception {
        String train = dir.resolve("diabetes-train.csv").toString();
        String heldOut = dir.resolve("diabetes-held-out.csv").toString();
        split("/datasets/diabetes.csv", train, heldOut);
        String regression = dir.resolve("diabetes").toString();
        CliRunner.Result r = CliRunner.run("train", "--conf", "conf/diabetes.properties", "--model", regression,
                "--set", "data.train=" + train, "--set", "data.testFraction=0",
                "--set", "output.report=" + dir.resolve("diabetes-report"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("val rmse"), r.out());
        CliRunner.Result e = CliRunner.run("evaluate", "--model", regression, "--data", heldOut, "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode m = new ObjectMapper().readTree(e.out());
        assertEquals(89, m.get("rows").asInt()); // rows 0, 5, ..., 440 of 442
        assertTrue(m.get("r2").asDouble() > 0.3, e.out());
        assertTrue(m.get("rmse").asDouble() < 65, e.out());
        assertTrue(m.get("mae").asDouble() < m.get("rmse").asDouble(), e.out());
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
