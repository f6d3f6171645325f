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
    }
}
