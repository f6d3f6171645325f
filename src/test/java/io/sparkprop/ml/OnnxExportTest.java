package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.sparkprop.data.InputException;
import io.sparkprop.onnx.OnnxModel;
import io.sparkprop.spark.SparkTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of model, exported and run by onnxruntime on rows it was not trained on, predicts
 * what its own transform predicts: the same labels, and probabilities or values within 1e-5
 * relative (the graph computes in float64 and rounds its outputs to float32: about 6e-8).
 */
class OnnxExportTest {
    /** Relative to the larger magnitude, with a floor of 1e-6 for values near zero. */
    static final double TOLERANCE = 1e-5;

    @Test
    void softmaxWithCrossEntropy(@TempDir Path dir) throws Exception {
        Dataset<Row>[] split = MlTestData.assembled(SparkTestSupport.session(), "digits").randomSplit(new double[] {0.8, 0.2}, 1);
        FeedForwardClassificationModel model = new FeedForwardClassifier().setHiddenLayers(24).setActivation("relu")
                .setStepSize(0.01).setBatchSize(64).setMaxEpochs(4).setSeed(2).fit(split[0]);
        assertClassifierAgrees(model, split[1], dir.resolve("digits.onnx"), 10);
    }

    @Test
    void oneSigmoidWithBinaryCrossEntropy(@TempDir Path dir) throws Exception {
        Dataset<Row>[] split = MlTestData.assembled(SparkTestSupport.session(), "breast_cancer")
                .randomSplit(new double[] {0.8, 0.2}, 1);
        FeedForwardClassificationModel model = new FeedForwardClassifier().setHiddenLayers(8).setActivation("tanh")
                .setLoss("binaryCrossEntropy").setStepSize(0.01).setBatchSize(32).setMaxEpochs(5).setSeed(2)
                .fit(split[0]);
        assertEquals(1, model.layers()[model.layers().length - 1], "one output unit for two classes");
        assertClassifierAgrees(model, split[1], dir.resolve("cancer.onnx"), 2);
    }

    @Test
    void quadraticCostOnSigmoidOutputs(@TempDir Path dir) throws Exception {
        Dataset<Row>[] split = MlTestData.assembled(SparkTestSupport.session(), "digits").randomSplit(new double[] {0.8, 0.2}, 3);
        FeedForwardClassificationModel model = new FeedForwardClassifier().setHiddenLayers(16).setActivation("sigmoid")
                .setLoss("quadratic").setStandardize(false).setStepSize(0.05).setBatchSize(64).setMaxEpochs(4)
                .setSeed(5).fit(split[0]);
        assertClassifierAgrees(model, split[1], dir.resolve("quadratic.onnx"), 10);
    }

    @Test
    void regressionOnOneOutput(@TempDir Path dir) throws Exception {
        Dataset<Row>[] split = MlTestData.assembled(SparkTestSupport.session(), "diabetes")
                .randomSplit(new double[] {0.8, 0.2}, 1);
        FeedForwardRegressionModel model = new FeedForwardRegressor().setHiddenLayers(8, 4).setActivation("sigmoid")
                .setStepSize(0.01).setBatchSize(32).setMaxEpochs(5).setSeed(7).fit(split[0]);
        List<Row> rows = model.transform(split[1]).select("features", "prediction").collectAsList();
        double[][] expected = rows.stream().map(r -> new double[] {r.getDouble(1)}).toArray(double[][]::new);
        assertRegressionAgrees(model, rows, expected, dir.resolve("diabetes.onnx"));
    }

    @Test
    void regressionOnSeveralOutputs(@TempDir Path dir) throws Exception {
        SparkSession spark = SparkTestSupport.session();
        double[][] x = SparkTestSupport.features(300, 4, 11);
        Dataset<Row>[] split = MlTestData.vectorLabelled(spark, x,
                r -> new double[] {100 + 10 * (r[0] + r[1]), 2 * r[2] - r[3], -r[1]}).randomSplit(new double[] {0.8, 0.2}, 2);
        FeedForwardRegressionModel model = new FeedForwardRegressor().setHiddenLayers(12).setActivation("relu")
                .setStepSize(0.01).setBatchSize(32).setMaxEpochs(5).setSeed(3).fit(split[0]);
        assertEquals(3, model.numOutputs());
        List<Row> rows = model.transform(split[1]).select("features", "prediction").collectAsList();
        double[][] expected = rows.stream().map(r -> ((Vector) r.get(1)).toArray()).toArray(double[][]::new);
        assertRegressionAgrees(model, rows, expected, dir.resolve("three.onnx"));
    }

    @Test
    void aFolderAsTheOutputIsAClearErrorAndWritesNothing(@TempDir Path dir) throws Exception {
        FeedForwardRegressionModel model = new FeedForwardRegressor().setHiddenLayers(3).setMaxEpochs(1)
                .fit(MlTestData.assembled(SparkTestSupport.session(), "diabetes"));
        Path folder = Files.createDirectory(dir.resolve("models"));
        InputException e = assertThrows(InputException.class, () -> model.exportOnnx(folder.toString()));
        assertEquals("ONNX export to " + folder + ": that is a folder; give a file name", e.getMessage());
        try (var left = Files.list(dir)) {
            assertEquals(List.of(folder), left.toList(), "nothing written beside it");
        }
        try (var inside = Files.list(folder)) {
            assertFalse(inside.findAny().isPresent(), "nothing written into it");
        }
    }

    private static void assertClassifierAgrees(FeedForwardClassificationModel model, Dataset<Row> heldOut, Path file,
                                               int classes) throws Exception {
        model.exportOnnx(file.toString());
        List<Row> rows = model.transform(heldOut).select("features", "probability", "prediction").collectAsList();
        assertTrue(rows.size() > 20, "held-out rows: " + rows.size());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, features(rows));
             OrtSession.Result result = session.run(Map.of("features", input))) {
            assertContract(session, file, List.of("label", "probabilities"));
            assertArrayEquals(new long[] {-1, classes}, shape(session.getOutputInfo().get("probabilities")));
            assertEquals(ai.onnxruntime.OnnxJavaType.INT64,
                    ((TensorInfo) session.getOutputInfo().get("label").getInfo()).type);
            long[] labels = (long[]) result.get("label").orElseThrow().getValue();
            float[][] probabilities = (float[][]) result.get("probabilities").orElseThrow().getValue();
            for (int i = 0; i < rows.size(); i++) {
                assertEquals((long) rows.get(i).getDouble(2), labels[i], "label of held-out row " + i);
                assertClose(((Vector) rows.get(i).get(1)).toArray(), probabilities[i], "probabilities of row " + i);
            }
        }
    }

    private static void assertRegressionAgrees(FeedForwardRegressionModel model, List<Row> rows, double[][] expected,
                                               Path file) throws Exception {
        model.exportOnnx(file.toString());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, features(rows));
             OrtSession.Result result = session.run(Map.of("features", input))) {
            assertContract(session, file, List.of("prediction"));
            assertArrayEquals(new long[] {-1, model.numOutputs()}, shape(session.getOutputInfo().get("prediction")));
            float[][] predictions = (float[][]) result.get("prediction").orElseThrow().getValue();
            for (int i = 0; i < rows.size(); i++) {
                assertClose(expected[i], predictions[i], "prediction of held-out row " + i);
            }
        }
    }

    private static void assertContract(OrtSession session, Path file, List<String> outputs) throws Exception {
        assertEquals(List.of("features"), List.copyOf(session.getInputNames()));
        assertEquals(new java.util.TreeSet<>(outputs), new java.util.TreeSet<>(session.getOutputNames()));
        TensorInfo in = (TensorInfo) session.getInputInfo().get("features").getInfo();
        assertEquals(ai.onnxruntime.OnnxJavaType.FLOAT, in.type);
        assertEquals("sparkprop", session.getMetadata().getProducerName());
        ai.onnx.proto.OnnxMl.ModelProto proto = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
        assertEquals(1, proto.getOpsetImportCount());
        assertEquals("", proto.getOpsetImport(0).getDomain());
        assertEquals(OnnxModel.OPSET, proto.getOpsetImport(0).getVersion());
    }

    private static long[] shape(NodeInfo info) {
        return ((TensorInfo) info.getInfo()).getShape();
    }

    private static float[][] features(List<Row> rows) {
        float[][] x = new float[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            double[] v = ((Vector) rows.get(i).get(0)).toArray();
            x[i] = new float[v.length];
            for (int j = 0; j < v.length; j++) {
                x[i][j] = (float) v[j];
            }
        }
        return x;
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int j = 0; j < expected.length; j++) {
            double scale = Math.max(Math.max(Math.abs(expected[j]), Math.abs(actual[j])), 1e-6);
            double rel = Math.abs(expected[j] - actual[j]) / scale;
            assertTrue(rel <= TOLERANCE, what + ", value " + j + ": transform " + expected[j] + ", onnxruntime "
                    + actual[j] + " (relative " + rel + ")");
        }
    }
}
