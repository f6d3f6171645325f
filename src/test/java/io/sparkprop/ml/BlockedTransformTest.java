package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.SparkTestSupport;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code transform} runs whole blocks of rows through the network ({@link BlockedRows}); it must
 * give what the one-row methods give (predictRaw, predictProbability, predict, predictValues), on
 * partitions longer than a block, for every kind of output layer, with Spark's thresholds, with
 * output columns switched off, and with sparse features.
 */
class BlockedTransformTest {
    static SparkSession spark;
    static Dataset<Row> digits;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.session();
        digits = MlTestData.assembled(spark, "digits").repartition(3).cache(); // ~600 rows a partition > 256
    }

    @Test
    void softmaxRowsInBlocksEqualTheOneRowPath() {
        FeedForwardClassificationModel m = new FeedForwardClassifier().setHiddenLayers(16).setStepSize(0.01)
                .setBatchSize(64).setMaxEpochs(2).setSeed(2).fit(digits);
        assertSameAsOneRowPath(m, digits);
    }

    @Test
    void quadraticCostWithThresholdsEqualsTheOneRowPath() {
        FeedForwardClassificationModel m = new FeedForwardClassifier().setHiddenLayers(12).setActivation("sigmoid")
                .setLoss("quadratic").setStepSize(0.05).setBatchSize(64).setMaxEpochs(2).setSeed(5).fit(digits);
        long before = threes(assertSameAsOneRowPath(m, digits));
        double[] thresholds = new double[10];
        Arrays.fill(thresholds, 1.0);
        thresholds[3] = 0.2; // favours class 3: the prediction must come from probability / threshold
        m.setThresholds(thresholds);
        long after = threes(assertSameAsOneRowPath(m, digits));
        assertTrue(after > before, "the threshold moves predictions to class 3: " + before + " -> " + after);
    }

    @Test
    void oneSigmoidOutputWithColumnsSwitchedOffAndSparseFeatures() {
        Dataset<Row> cancer = MlTestData.assembled(spark, "breast_cancer").repartition(2);
        FeedForwardClassificationModel m = new FeedForwardClassifier().setHiddenLayers(8).setActivation("tanh")
                .setLoss("binaryCrossEntropy").setStepSize(0.01).setBatchSize(32).setMaxEpochs(3).setSeed(2)
                .fit(cancer);
        assertSameAsOneRowPath(m, cancer);

        m.setRawPredictionCol("");
        Dataset<Row> out = m.transform(cancer);
        assertFalse(Arrays.asList(out.columns()).contains("rawPrediction"));
        assertEquals(List.of("features", "label", "probability", "prediction"), Arrays.asList(out.columns()));

        StructType schema = new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType);
        List<Row> sparse = cancer.collectAsList().stream()
                .map(r -> RowFactory.create(((Vector) r.get(0)).toSparse(), ((Number) r.get(1)).doubleValue()))
                .toList();
        List<Row> fromSparse = m.transform(spark.createDataFrame(sparse, schema)).collectAsList();
        List<Row> fromDense = m.transform(cancer).collectAsList();
        for (int i = 0; i < fromDense.size(); i++) {
            assertEquals(fromDense.get(i).getDouble(3), fromSparse.get(i).getDouble(3));
            assertEquals(fromDense.get(i).get(2), fromSparse.get(i).get(2));
        }
    }

    @Test
    void regressionsOfOneAndSeveralOutputs() {
        double[][] x = SparkTestSupport.features(700, 4, 11);
        Dataset<Row> data = MlTestData.vectorLabelled(spark, x, r -> new double[] {3 * r[0] - r[1], r[2] * r[3]})
                .repartition(2);
        FeedForwardRegressionModel two = new FeedForwardRegressor().setHiddenLayers(8).setStepSize(0.01)
                .setBatchSize(32).setMaxEpochs(2).setSeed(3).fit(data);
        for (Row r : two.transform(data).collectAsList()) {
            Vector expected = two.predictValues((Vector) r.get(0));
            assertClose(expected.toArray(), ((Vector) r.get(2)).toArray());
        }

        Dataset<Row> diabetes = MlTestData.assembled(spark, "diabetes");
        FeedForwardRegressionModel one = new FeedForwardRegressor().setHiddenLayers(6).setStepSize(0.01)
                .setBatchSize(32).setMaxEpochs(2).setSeed(7).fit(diabetes);
        List<Row> rows = one.transform(diabetes).collectAsList();
        assertEquals(diabetes.count(), rows.size());
        for (Row r : rows) {
            assertClose(new double[] {one.predict((Vector) r.get(0))}, new double[] {r.getDouble(2)});
        }
    }

    @Test
    void aRowWithoutFeaturesNamesTheColumn() {
        FeedForwardRegressionModel m = new FeedForwardRegressor().setHiddenLayers(3).setMaxEpochs(1)
                .fit(MlTestData.assembled(spark, "diabetes"));
        StructType schema = new StructType().add("x", new VectorUDT(), true);
        Dataset<Row> nulls = spark.createDataFrame(List.of(RowFactory.create((Object) null)), schema);
        for (boolean publicRows : new boolean[] {false, true}) {
            Exception e = assertThrows(Exception.class,
                    () -> onPath(publicRows, () -> m.setFeaturesCol("x").transform(nulls).collectAsList()));
            assertTrue(causes(e).contains("a row has no features: null in column 'x'"), causes(e));
        }
    }

    /** Runs {@code action} with transform on the public {@link Row} path or the internal one. */
    private static <T> T onPath(boolean publicRows, java.util.function.Supplier<T> action) {
        BlockedRows.publicRowsOnly = publicRows;
        try {
            return action.get();
        } finally {
            BlockedRows.publicRowsOnly = false;
        }
    }

    /** The messages of {@code e} and its causes, one a line: Spark wraps a task's exception. */
    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void featuresOfTheWrongWidthAreRefusedDenseOrSparse() {
        FeedForwardRegressionModel m = new FeedForwardRegressor().setHiddenLayers(3).setMaxEpochs(1)
                .fit(MlTestData.assembled(spark, "diabetes"));
        int width = m.numFeatures();
        StructType schema = new StructType().add("features", new VectorUDT(), false);
        for (boolean publicRows : new boolean[] {false, true}) {
            for (Vector narrow : List.of(Vectors.dense(1, 2, 3), Vectors.sparse(3, new int[] {1}, new double[] {2}))) {
                Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create(narrow)), schema);
                Exception e = assertThrows(Exception.class,
                        () -> onPath(publicRows, () -> m.transform(rows).collectAsList()));
                String expected = "features have 3 values; the model takes " + width;
                assertTrue(causes(e).contains(expected), narrow + " (public rows " + publicRows + "): " + causes(e));
            }
        }
    }

    @Test
    void aStoredSparseVectorWithAnIndexOutsideItsSizeIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        // Spark's SparseVector checks its indices when made; the internal path reads the stored
        // form without making one, so a corrupt file must be caught there.
        FeedForwardRegressionModel m = new FeedForwardRegressor().setHiddenLayers(3).setMaxEpochs(1)
                .fit(MlTestData.assembled(spark, "diabetes"));
        int width = m.numFeatures();
        StructType stored = new StructType().add("features", new VectorUDT().sqlType(), false);
        Row corrupt = RowFactory.create(RowFactory.create((byte) 0, width, new int[] {1, width + 4},
                new double[] {2.0, 3.0}));
        String path = dir.resolve("corrupt").toString();
        spark.createDataFrame(List.of(corrupt), stored).write().parquet(path);
        Dataset<Row> rows = spark.read().schema(new StructType().add("features", new VectorUDT(), false)).parquet(path);
        Exception e = assertThrows(Exception.class, () -> m.transform(rows).collectAsList());
        assertTrue(causes(e).contains("index " + (width + 4) + ", outside its size " + width), causes(e));
    }

    @Test
    void thresholdsOfTheWrongLengthAreRefusedOnTheDriver() {
        FeedForwardClassificationModel m = new FeedForwardClassifier().setHiddenLayers(4).setMaxEpochs(1).fit(digits);
        // setThresholds checks the length; a param map given to transform does not.
        org.apache.spark.ml.param.ParamMap two = new org.apache.spark.ml.param.ParamMap()
                .put(m.thresholds(), new double[] {0.5, 0.5});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.transform(digits, two));
        assertTrue(e.getMessage().contains("numClasses=10, but thresholds has length 2"), e.getMessage());
    }

    @Test
    void internalRowsGiveWhatThePublicRowsGive() {
        assertTrue(InternalFrames.rows(digits) != null, "this Spark's internal rows are reachable");
        FeedForwardClassificationModel m = new FeedForwardClassifier().setHiddenLayers(10).setStepSize(0.01)
                .setBatchSize(64).setMaxEpochs(1).setSeed(4).fit(digits);
        Dataset<Row> tagged = digits.withColumn("tag", functions.concat(functions.lit("row "),
                functions.col("label").cast("string")));
        List<Row> internal = m.transform(tagged).collectAsList();
        List<Row> external = onPath(true, () -> m.transform(tagged).collectAsList());
        assertEquals(external.size(), internal.size());
        assertEquals(List.of("features", "label", "tag", "rawPrediction", "probability", "prediction"),
                Arrays.asList(m.transform(tagged).columns()), "the input's columns, then Spark's three");
        for (int i = 0; i < internal.size(); i++) {
            assertEquals(external.get(i), internal.get(i), "row " + i);
        }
    }

    @Test
    void aFloat32ModelPredictsInFloat32WithinFloatRounding() {
        FeedForwardClassificationModel m = new FeedForwardClassifier().setHiddenLayers(16).setStepSize(0.01)
                .setBatchSize(64).setMaxEpochs(2).setSeed(2).setPrecision("float32").fit(digits);
        assertEquals("float32", m.getPrecision(), "the model keeps the precision it was trained in");
        List<Row> inFloat = m.transform(digits).collectAsList();
        m.set(m.precision(), "float64");
        List<Row> inDouble = m.transform(digits).collectAsList();
        assertEquals(inDouble.size(), inFloat.size());
        double largest = 0;
        for (int i = 0; i < inDouble.size(); i++) {
            double[] p = ((Vector) inDouble.get(i).getAs("probability")).toArray();
            double[] q = ((Vector) inFloat.get(i).getAs("probability")).toArray();
            for (int k = 0; k < p.length; k++) {
                largest = Math.max(largest, Math.abs(p[k] - q[k]));
            }
            // a float32 prediction is the arg max of its own probabilities
            assertEquals(argMax(q), inFloat.get(i).getDouble(inFloat.get(i).fieldIndex("prediction")), "row " + i);
        }
        // Float rounding (2^-24 relative per operation, over 64 + 16 products a unit) moves
        // probabilities by about 1e-7; a float64 pass would give exactly 0.
        assertTrue(largest > 0 && largest < 1e-5, "largest probability difference " + largest);
    }

    private static double argMax(double[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }

    private static long threes(List<Row> rows) {
        return rows.stream().filter(r -> r.getDouble(r.fieldIndex("prediction")) == 3.0).count();
    }

    /** Every row's three columns against the one-row methods; returns the transformed rows. */
    private static List<Row> assertSameAsOneRowPath(FeedForwardClassificationModel m, Dataset<Row> data) {
        assertTrue(data.rdd().getNumPartitions() > 1);
        List<Row> rows = m.transform(data).collectAsList();
        assertEquals(data.count(), rows.size());
        for (Row r : rows) {
            Vector features = r.getAs("features");
            assertClose(m.predictRaw(features).toArray(), ((Vector) r.getAs("rawPrediction")).toArray());
            assertClose(m.predictProbability(features).toArray(), ((Vector) r.getAs("probability")).toArray());
            assertEquals(m.predict(features), r.getDouble(r.fieldIndex("prediction")));
        }
        return rows;
    }

    /** Equal up to the rounding of a matrix-matrix against a matrix-vector product. */
    private static void assertClose(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])));
        }
    }
}
