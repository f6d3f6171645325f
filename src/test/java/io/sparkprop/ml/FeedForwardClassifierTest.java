package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.SparkApiBridge;
import io.sparkprop.spark.SparkTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedForwardClassifierTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.session();
    }

    @Test
    void aPipelineFitsSavesLoadsAndPredictsTheSame(@TempDir Path dir) throws Exception {
        Dataset<Row> raw = MlTestData.csv(spark, "digits").withColumnRenamed("digit", "label");
        String[] pixels = Arrays.stream(raw.columns()).filter(c -> c.startsWith("pixel")).toArray(String[]::new);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(pixels).setOutputCol("raw"),
            new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
            new FeedForwardClassifier().setHiddenLayers(32).setMaxEpochs(8).setStepSize(0.01).setBatchSize(64)
                    .setStandardize(false).setSeed(3)
        });
        PipelineModel fitted = pipeline.fit(raw);
        Dataset<Row> before = fitted.transform(raw).select("prediction", "probability");
        String path = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(path);

        PipelineModel loaded = PipelineModel.load(path);
        Dataset<Row> after = loaded.transform(raw).select("prediction", "probability");
        List<Row> a = before.collectAsList();
        List<Row> b = after.collectAsList();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).getDouble(0), b.get(i).getDouble(0));
            assertArrayEquals(((Vector) a.get(i).get(1)).toArray(), ((Vector) b.get(i).get(1)).toArray(), 0.0);
        }
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(fitted.transform(raw));
        assertTrue(accuracy > 0.9, "training accuracy " + accuracy);
        FeedForwardClassificationModel model = (FeedForwardClassificationModel) loaded.stages()[2];
        assertArrayEquals(new int[] {64, 32, 10}, model.layers());
        assertArrayEquals(new int[] {32}, model.getHiddenLayers());
        assertTrue(Files.exists(Path.of(path, "stages")));
    }

    @Test
    void crossValidatorSearchesStepSizeAndHiddenLayers() {
        Dataset<Row> data = MlTestData.assembled(spark, "digits").limit(600);
        FeedForwardClassifier ffc = new FeedForwardClassifier().setMaxEpochs(3).setBatchSize(64).setSeed(1);
        ParamMap[] grid = new ParamGridBuilder()
                .addGrid(ffc.stepSize(), new double[] {0.0001, 0.01})
                .addGrid(ffc.hiddenLayers(), SparkApiBridge.asScala(List.of(new int[] {8}, new int[] {24})))
                .build();
        assertEquals(4, grid.length);
        CrossValidatorModel cv = new CrossValidator().setEstimator(ffc).setEstimatorParamMaps(grid)
                .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
                .setNumFolds(2).setSeed(5).fit(data);
        FeedForwardClassificationModel best = (FeedForwardClassificationModel) cv.bestModel();
        double[] metrics = cv.avgMetrics();
        int bestIndex = 0;
        for (int i = 1; i < metrics.length; i++) {
            if (metrics[i] > metrics[bestIndex]) {
                bestIndex = i;
            }
        }
        assertEquals(grid[bestIndex].get(ffc.stepSize()).get(), best.getStepSize());
        assertEquals(0.01, best.getStepSize(), "a step size of 1e-4 learns almost nothing in 3 epochs");
    }

    @Test
    void oneFullBatchGdStepIsTheInitialWeightsMinusStepSizeTimesTheMeanGradient() {
        Dataset<Row> data = MlTestData.assembled(spark, "breast_cancer").limit(40);
        List<Row> rows = data.collectAsList();
        double[][] x = new double[rows.size()][];
        int[] y = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            x[i] = ((Vector) rows.get(i).get(0)).toArray();
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] /= 1000; // keep the raw features in tanh's range; standardize is off
            }
            y[i] = ((Number) rows.get(i).get(1)).intValue();
        }
        Dataset<Row> scaled = SparkTestSupport.frame(spark, x, Arrays.stream(y).asDoubleStream().toArray(), 17, 23);
        IndependentNet net = new IndependentNet(new int[] {30, 4, 2});
        double[] w0 = net.randomWeights(8);
        double stepSize = 0.3;

        FeedForwardClassificationModel model = new FeedForwardClassifier().setHiddenLayers(4).setActivation("tanh")
                .setInitialWeights(org.apache.spark.ml.linalg.Vectors.dense(w0)).setOptimizer("gd").setBatchSize(0)
                .setMaxEpochs(1).setStandardize(false).setStepSize(stepSize).fit(scaled);

        double[] numeric = net.numericMeanGradient(w0, x, y);
        double[] fitted = model.weights().toArray();
        for (int i = 0; i < w0.length; i++) {
            assertEquals(w0[i] - stepSize * numeric[i], fitted[i], 1e-8, "weight " + i);
        }
        assertEquals(net.meanLoss(w0, x, y), model.summary().lossHistory()[0], 1e-12);
    }

    @Test
    void aSparkMlpTakenOverPredictsTheSameProbabilities() {
        Dataset<Row> data = MlTestData.assembled(spark, "digits");
        MultilayerPerceptronClassificationModel mlp = new MultilayerPerceptronClassifier()
                .setLayers(new int[] {64, 20, 10}).setMaxIter(15).setSeed(2).fit(data);
        FeedForwardClassificationModel ours = FeedForwardClassificationModel.fromSparkMlp(mlp);

        List<Row> theirs = mlp.transform(data).select("probability", "prediction").collectAsList();
        List<Row> mine = ours.transform(data).select("probability", "prediction").collectAsList();
        double worst = 0;
        for (int i = 0; i < theirs.size(); i++) {
            double[] p = ((Vector) theirs.get(i).get(0)).toArray();
            double[] q = ((Vector) mine.get(i).get(0)).toArray();
            for (int j = 0; j < p.length; j++) {
                worst = Math.max(worst, Math.abs(p[j] - q[j]));
            }
            assertEquals(theirs.get(i).getDouble(1), mine.get(i).getDouble(1));
        }
        assertTrue(worst <= 1e-12, "largest probability difference " + worst);
        assertArrayEquals(mlp.weights().toArray(), ours.weights().toArray(), 0.0);
    }

    @Test
    void paramsHaveDefaultsAndRejectBadValues(@TempDir Path dir) {
        FeedForwardClassifier c = new FeedForwardClassifier();
        assertArrayEquals(new int[] {100}, c.getHiddenLayers());
        assertEquals("relu", c.getActivation());
        assertEquals("crossEntropy", c.getLoss());
        assertEquals("adam", c.getOptimizer());
        assertNotNull(c.explainParams());
        assertThrows(IllegalArgumentException.class, () -> c.setStepSize(0));
        assertThrows(IllegalArgumentException.class, () -> c.setBatchSize(-1));
        assertThrows(IllegalArgumentException.class, () -> c.setHiddenLayers());
        assertThrows(IllegalArgumentException.class, () -> c.setActivation("softplus"));
        assertThrows(IllegalArgumentException.class, () -> c.setLoss("hinge"));
        assertThrows(IllegalArgumentException.class, () -> c.setDropout(1.5));
        assertThrows(IllegalArgumentException.class, () -> c.setDropout());
        assertThrows(IllegalArgumentException.class, () -> c.setPrecision("float16"));

        String path = dir.resolve("estimator").toString();
        try {
            c.setHiddenLayers(7, 5).setOptimizer("momentum").setDropout(0.2, 0.1).setPrecision("float32").write()
                    .overwrite().save(path);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        FeedForwardClassifier loaded = FeedForwardClassifier.load(path);
        assertArrayEquals(new int[] {7, 5}, loaded.getHiddenLayers());
        assertEquals("momentum", loaded.getOptimizer());
        assertArrayEquals(new double[] {0.2, 0.1}, loaded.getDropout());
        assertEquals("float32", loaded.getPrecision());
        assertEquals(c.uid(), loaded.uid());
    }

    @Test
    void aModelFolderOfAnotherKindIsRefusedByName(@TempDir Path dir) throws Exception {
        String path = dir.resolve("est").toString();
        new FeedForwardClassifier().write().save(path);
        var e = assertThrows(IllegalArgumentException.class, () -> FeedForwardClassificationModel.load(path));
        assertTrue(e.getMessage().contains("holds a io.sparkprop.ml.FeedForwardClassifier"), e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class,
                () -> FeedForwardClassificationModel.load(dir.resolve("nothing").toString()));
        assertTrue(missing.getMessage().startsWith("model folder "), missing.getMessage());
    }
}
