package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input ends with one line naming the culprit, a non-zero exit, and nothing written: no
 * model, no report, no predictions.
 */
class BadInputTest {
    @TempDir
    static Path dir;
    static String fixture;
    static String model;

    @BeforeAll
    static void trainASmallModel() {
        fixture = CliRunner.resource("/fixtures/small.csv");
        model = dir.resolve("small-model").toString();
        CliRunner.Result r = CliRunner.run(trainArgs(model, "data.train=" + fixture, "data.testFraction=0"));
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void explicitValidationRowsAreScoredEachEpoch() throws Exception {
        String out = dir.resolve("validated").toString();
        CliRunner.Result r = CliRunner.run(trainArgs(out, "data.train=" + fixture, "data.validation=" + fixture,
                "data.testFraction=0"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("epoch   2/2") && r.out().contains("val acc"), r.out());
        List<String> metrics = Files.readAllLines(Path.of(out + "-report", "metrics.jsonl"));
        assertTrue(metrics.get(1).contains("\"validationMetric\":"), metrics.get(1));
        assertFalse(metrics.get(1).contains("\"validationMetric\":null"), metrics.get(1));
    }

    static String[] trainArgs(String modelDir, String... sets) {
        List<String> args = new ArrayList<>(List.of("train", "--conf", "conf/default.properties", "--model", modelDir,
                "--set", "data.label=label", "--set", "maxEpochs=2", "--set", "validationFraction=0",
                "--set", "output.report=" + modelDir + "-report", "--set", "checkpointDir=" + modelDir + "-checkpoints"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        return args.toArray(new String[0]);
    }

    /** Trains with the given overrides into a fresh folder and checks the failure. */
    static void trainFails(String expectedMessage, String... sets) {
        String out = dir.resolve("m-" + System.nanoTime()).toString();
        CliRunner.Result r = CliRunner.run(trainArgs(out, sets));
        assertNotEquals(0, r.code(), r.out());
        assertTrue(r.err().contains(expectedMessage), "expected '" + expectedMessage + "' in:\n" + r.err());
        assertFalse(Files.exists(Path.of(out)), "no model folder");
        assertFalse(Files.exists(Path.of(out + "-report")), "no report folder");
        assertFalse(Files.exists(Path.of(out + "-checkpoints")), "no checkpoint");
    }

    static String csv(String name, String... lines) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, Arrays.asList(lines));
        return p.toString();
    }

    @Test
    void missingFile() {
        trainFails("/no/such/file.csv: no such file", "data.train=/no/such/file.csv");
    }

    @Test
    void emptyFileAndZeroRows() throws Exception {
        trainFails("empty.csv: empty file", "data.train=" + csv("empty.csv"));
        trainFails("header-only.csv: no data rows", "data.train=" + csv("header-only.csv", "p0,p1,label"));
    }

    @Test
    void unknownFormat() {
        trainFails("unknown data format 'xlsx'", "data.train=" + fixture, "data.format=xlsx");
    }

    @Test
    void headerWithoutTheLabelColumn() {
        trainFails("no label column 'target' among [p0, p1, p2, p3, label]", "data.train=" + fixture,
                "data.label=target");
    }

    @Test
    void unknownKeySuggestsTheNearest() {
        trainFails("unknown key 'stepsize' in conf/default.properties; did you mean 'stepSize'?",
                "data.train=" + fixture, "stepsize=0.1");
    }

    @Test
    void valuesOfTheWrongTypeOrOutOfRange() {
        trainFails("key maxEpochs: 'ten' is not a whole number", "data.train=" + fixture, "maxEpochs=ten");
        trainFails("key stepSize: 0 is out of range", "data.train=" + fixture, "stepSize=0");
        trainFails("key adamBeta1: 1.0 is out of range", "data.train=" + fixture, "adamBeta1=1.0");
        trainFails("key batchSize: -1 is out of range", "data.train=" + fixture, "batchSize=-1");
        trainFails("key hiddenLayers: empty", "data.train=" + fixture, "hiddenLayers=");
        trainFails("key standardize: 'yes' is not true or false", "data.train=" + fixture, "standardize=yes");
        trainFails("key dropout: 1.5 is out of range", "data.train=" + fixture, "dropout=1.5");
        trainFails("key dropout: 'half' is not a number list", "data.train=" + fixture, "dropout=half");
        trainFails("dropout has 3 rates for 1 hidden layer; give one rate, or one per hidden layer",
                "data.train=" + fixture, "dropout=0.1,0.2,0.3");
    }

    /** A bad cell or row, and the message that names it: file, line and column. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "cell.csv  | 3,abc,1   | cell.csv: line 3, column 'p1': 'abc' is not a number",
        "width.csv | 3,4,5,1   | width.csv: line 3 has 4 cells, the header has 3",
        "nan.csv   | NaN,4,1   | nan.csv: line 3, column 'p0': NaN is not a finite number",
        "blank.csv | 3,,1      | blank.csv: line 3, column 'p1': empty cell (data.missing=drop or mean accepts empty cells)",
        "inf.csv   | 3,4,Infinity | inf.csv: line 3, column 'label': Infinity is not a finite number"})
    void badCellOrRow(String name, String badLine, String expected) throws Exception {
        String bad = csv(name, "p0,p1,label", "1,2,0", badLine, "5,6,1");
        trainFails(expected, "data.train=" + bad);
    }

    @Test
    void badSampleWeights() throws Exception {
        String weighted = csv("weighted.csv", "p0,w,label", "1,1,0", "2,-2,1", "3,0.5,1", "4,1,0");
        trainFails("weighted.csv: line 3, weight -2.0 in column 'w' is not a finite number >= 0",
                "data.train=" + weighted, "data.weight=w");
        trainFails("key data.weight: no column 'weight' in " + weighted + " (columns: [p0, w, label])",
                "data.train=" + weighted, "data.weight=weight");
        trainFails("text.csv: line 3, column 'w': 'heavy' is not a number",
                "data.train=" + csv("text.csv", "p0,w,label", "1,1,0", "2,heavy,1", "3,1,1"), "data.weight=w");
        trainFails("key classWeights: lots is out of range", "data.train=" + fixture, "classWeights=lots");
    }

    @Test
    void badTableKeys() throws Exception {
        String table = csv("table.csv", "size,colour,label", "1,red,0", "2,blue,1", "3,red,1", "4,blue,0");
        trainFails("key data.categorical: no column 'shade' in " + table + " (columns: [size, colour, label])",
                "data.train=" + table, "data.categorical=size,shade");
        trainFails("key data.missing: 'maybe' is not one of error, drop, mean", "data.train=" + table,
                "data.missing=maybe");
        trainFails("key data.categorical: libsvm data has numbers only", "data.train=" + table, "data.format=libsvm",
                "data.categorical=colour");
        trainFails("table.csv: column 'colour' holds text; a weight (data.weight) is a number >= 0",
                "data.train=" + table, "data.weight=colour");
        trainFails("label column 'colour' holds text; a regression needs numbers", "data.train=" + table,
                "task=regression", "data.label=colour", "loss=quadratic");
        trainFails("gap.csv: line 4, column 'colour': empty cell", "data.train="
                + csv("gap.csv", "size,colour,label", "1,red,0", "2,blue,1", "3,,1"));
    }

    @Test
    void negativeOrFractionalClassLabel() throws Exception {
        trainFails("neg.csv: line 3, label -1.0 in column 'label' is not a class label",
                "data.train=" + csv("neg.csv", "p0,label", "1,0", "2,-1", "3,1", "4,-2"));
        trainFails("half.csv: line 2, label 0.5 in column 'label' is not a class label",
                "data.train=" + csv("half.csv", "p0,label", "1,0.5", "2,1"));
    }

    @Test
    void aLabelTheModelDoesNotKnow() throws Exception {
        String unknown = csv("unknown.csv", "p0,p1,p2,p3,label", "1,2,3,4,0", "1,2,3,4,7");
        CliRunner.Result e = CliRunner.run("evaluate", "--model", model, "--data", unknown);
        assertEquals(1, e.code());
        assertTrue(e.err().contains("unknown.csv: line 3, label 7.0 in column 'label' is not a class the model knows (0..2)"),
                e.err());
        Path out = dir.resolve("never.csv");
        CliRunner.Result p = CliRunner.run("predict", "--model", model, "--data", unknown, "--output", out.toString());
        assertEquals(1, p.code());
        assertTrue(p.err().contains("unknown.csv: line 3, label 7.0"), p.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void dataOfAnotherWidthThanTheModel() throws Exception {
        String narrow = csv("narrow.csv", "p0,p1,label", "1,2,0");
        CliRunner.Result e = CliRunner.run("evaluate", "--model", model, "--data", narrow);
        assertEquals(1, e.code());
        assertTrue(e.err().contains("narrow.csv: rows have 2 features, the model takes 4"), e.err());
    }

    @Test
    void truncatedOrSwappedIdx() throws Exception {
        int[][] pixels = {{1, 2, 3, 4}, {5, 6, 7, 8}};
        byte[] images = IdxFixtures.images(pixels, 2, 2);
        IdxFixtures.write(dir.resolve("cut-images-idx3-ubyte"), Arrays.copyOf(images, images.length - 3), false);
        IdxFixtures.write(dir.resolve("cut-labels-idx1-ubyte"), IdxFixtures.labels(new int[] {0, 1}), false);
        trainFails("truncated IDX file", "data.train=" + dir.resolve("cut-images-idx3-ubyte"), "data.format=idx");

        IdxFixtures.write(dir.resolve("gz-images-idx3-ubyte.gz"),
                Arrays.copyOf(gzip(images), gzip(images).length - 12), false);
        IdxFixtures.write(dir.resolve("gz-labels-idx1-ubyte.gz"), IdxFixtures.labels(new int[] {0, 1}), true);
        trainFails("truncated IDX file", "data.train=" + dir.resolve("gz-images-idx3-ubyte.gz"));

        trainFails("are the images and labels files swapped?", "data.train=" + dir.resolve("cut-labels-idx1-ubyte")
                + "," + dir.resolve("cut-images-idx3-ubyte"), "data.format=idx");
    }

    @Test
    void aModelFolderThatIsMissingPartialOrOfAnotherKind() throws Exception {
        CliRunner.Result missing = CliRunner.run("evaluate", "--model", dir.resolve("nope").toString(), "--data", fixture);
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope: no such folder"), missing.err());
        Path partial = Files.createDirectories(dir.resolve("partial").resolve("data"));
        CliRunner.Result p = CliRunner.run("evaluate", "--model", partial.getParent().toString(), "--data", fixture);
        assertEquals(1, p.code());
        assertTrue(p.err().contains("no metadata/"), p.err());
        String estimator = dir.resolve("an-estimator").toString();
        new io.sparkprop.ml.FeedForwardClassifier().write().save(estimator);
        Path out = dir.resolve("never.parquet");
        CliRunner.Result other = CliRunner.run("predict", "--model", estimator, "--data", fixture, "--output",
                out.toString());
        assertEquals(1, other.code());
        assertTrue(other.err().contains("holds a io.sparkprop.ml.FeedForwardClassifier, not a sparkprop model"),
                other.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRunner.Result r = CliRunner.run("train", "--conf", "conf/default.properties", "--epochs", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown options: '--epochs', '3'"), r.err());
    }

    private static byte[] gzip(byte[] content) throws Exception {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (var g = new java.util.zip.GZIPOutputStream(b)) {
            g.write(content);
        }
        return b.toByteArray();
    }
}
