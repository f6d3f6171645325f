package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.SparkTestSupport;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.ml.linalg.Vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedForwardRegressorTest {

    @Test
    void fitsDiabetesInTheLabelsUnitsAndRoundTrips(@TempDir Path dir) throws Exception {
        SparkSession spark = SparkTestSupport.session();
        Dataset<Row> data = MlTestData.assembled(spark, "diabetes");
        FeedForwardRegressionModel model = new FeedForwardRegressor().setHiddenLayers(16).setActivation("sigmoid")
                .setOptimizer("adam").setStepSize(0.01).setBatchSize(32).setMaxEpochs(30).setSeed(7).fit(data);
        Dataset<Row> predicted = model.transform(data);
        double r2 = new RegressionEvaluator().setMetricName("r2").evaluate(predicted);
        assertTrue(r2 > 0.45, "training R^2 " + r2);
        double meanPrediction = predicted.agg(org.apache.spark.sql.functions.avg("prediction")).first().getDouble(0);
        assertTrue(meanPrediction > 100 && meanPrediction < 200, "predictions are in the label's units: " + meanPrediction);
        assertEquals(30, model.summary().totalEpochs());

        String path = dir.resolve("model").toString();
        model.write().overwrite().save(path);
        FeedForwardRegressionModel loaded = FeedForwardRegressionModel.load(path);
        List<Row> a = predicted.select("prediction").collectAsList();
        List<Row> b = loaded.transform(data).select("prediction").collectAsList();
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).getDouble(0), b.get(i).getDouble(0), 0.0);
        }
        assertEquals(model.weights(), loaded.weights());
        assertEquals("sigmoid", loaded.getActivation());

        String estimatorPath = dir.resolve("estimator").toString();
        new FeedForwardRegressor().setHiddenLayers(9, 4).setSchedule("cosine").write().save(estimatorPath);
        FeedForwardRegressor estimator = FeedForwardRegressor.load(estimatorPath);
        assertArrayEquals(new int[] {9, 4}, estimator.getHiddenLayers());
        assertEquals("cosine", estimator.getSchedule());
    }

    @Test
    void aVectorLabelGivesOneOutputPerValue(@TempDir Path dir) throws Exception {
        SparkSession spark = SparkTestSupport.session();
        double[][] x = SparkTestSupport.features(400, 3, 11);
        Dataset<Row> data = MlTestData.vectorLabelled(spark, x,
                r -> new double[] {100 + 10 * (r[0] + r[1]), 2 * r[2] - r[0]});

        FeedForwardRegressionModel model = new FeedForwardRegressor().setHiddenLayers(16).setActivation("tanh")
                .setStepSize(0.01).setBatchSize(32).setMaxEpochs(60).setSeed(3).fit(data);
        assertEquals(2, model.numOutputs());
        assertArrayEquals(new int[] {3, 16, 2}, model.layers());
        List<Row> predicted = model.transform(data).select("label", "prediction").collectAsList();
        double se0 = 0;
        double se1 = 0;
        for (Row r : predicted) {
            Vector y = (Vector) r.get(0);
            Vector p = (Vector) r.get(1);
            se0 += Math.pow(y.apply(0) - p.apply(0), 2);
            se1 += Math.pow(y.apply(1) - p.apply(1), 2);
        }
        double rmse0 = Math.sqrt(se0 / predicted.size());
        double rmse1 = Math.sqrt(se1 / predicted.size());
        assertTrue(rmse0 < 2.0, "output 0 (spread ~16) RMSE " + rmse0);
        assertTrue(rmse1 < 0.3, "output 1 (spread ~2.4) RMSE " + rmse1);

        String path = dir.resolve("two-outputs").toString();
        model.write().save(path);
        FeedForwardRegressionModel loaded = FeedForwardRegressionModel.load(path);
        Vector first = loaded.predictValues((Vector) data.first().get(0));
        assertEquals(((Vector) predicted.get(0).get(1)).apply(0), first.apply(0), 0.0);
        assertEquals(((Vector) predicted.get(0).get(1)).apply(1), first.apply(1), 0.0);
    }
}
