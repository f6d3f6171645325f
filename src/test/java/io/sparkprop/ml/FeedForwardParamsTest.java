package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.SparkTestSupport;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeedForwardParamsTest {
    static SparkSession spark;
    static Dataset<Row> data;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.session();
        data = MlTestData.assembled(spark, "breast_cancer").limit(200).cache();
    }

    static FeedForwardClassifier small() {
        return new FeedForwardClassifier().setHiddenLayers(8).setMaxEpochs(2).setBatchSize(50).setStepSize(0.01)
                .setSeed(5);
    }

    @Test
    void adamBetasAndEpsilonDefaultToTheUsualValuesAndReachTraining() {
        FeedForwardClassifier c = new FeedForwardClassifier();
        assertEquals(0.9, c.getAdamBeta1());
        assertEquals(0.999, c.getAdamBeta2());
        assertEquals(1e-8, c.getAdamEpsilon());
        c.setAdamBeta1(0.5).setAdamBeta2(0.75).setAdamEpsilon(1e-3);
        assertEquals(0.5, c.trainingConfig().adamBeta1());
        assertEquals(0.75, c.trainingConfig().adamBeta2());
        assertEquals(1e-3, c.trainingConfig().adamEpsilon());
    }

    @Test
    void aChangedBetaChangesTheFitAndTheSameBetaGivesTheSameFit() {
        double[] usual = small().fit(data).weights().toArray();
        double[] again = small().fit(data).weights().toArray();
        double[] beta1 = small().setAdamBeta1(0.5).fit(data).weights().toArray();
        double[] beta2 = small().setAdamBeta2(0.9).fit(data).weights().toArray();
        assertArrayEquals(usual, again, 0.0);
        assertFalse(Arrays.equals(usual, beta1), "adamBeta1 0.5 left the weights as they were");
        assertFalse(Arrays.equals(usual, beta2), "adamBeta2 0.9 left the weights as they were");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"adamBeta1, 1.0", "adamBeta1, -0.1", "adamBeta2, 1.0", "adamEpsilon, 0.0", "adamEpsilon, -1e-8",
        "adamEpsilon, Infinity"})
    void aBadAdamValueIsRejectedNamingTheParam(String name, double value) {
        FeedForwardRegressor r = new FeedForwardRegressor();
        Param<Object> p = r.getParam(name);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.set(p, value));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void resumingWithAnotherBetaIsRefusedNamingIt(@TempDir Path dir) {
        small().setCheckpointDir(dir.toString()).fit(data);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small()
                .setCheckpointDir(dir.toString()).setAdamBeta1(0.8).resumeFromCheckpoint(true).fit(data));
        assertTrue(e.getMessage().contains("adamBeta1 was 0.9, is 0.8"), e.getMessage());
        // with the checkpoint's settings it resumes (from the last epoch, so nothing is left to train)
        small().setCheckpointDir(dir.toString()).resumeFromCheckpoint(true).fit(data);
    }

    @Test
    void everyDeclaredParamIsAParamOfBothEstimatorsAndBothModelsWithTheSameDefault() {
        FeedForwardClassifier c = small();
        FeedForwardRegressor r = new FeedForwardRegressor();
        FeedForwardClassificationModel m = c.fit(data);
        for (ParamSpec<?> spec : FeedForwardParams.ALL) {
            for (FeedForwardParams owner : List.of(c, r, m)) {
                assertTrue(owner.hasParam(spec.name()), spec.name() + " on " + owner.uid());
                Param<Object> p = owner.getParam(spec.name());
                assertEquals(spec.doc(owner instanceof FeedForwardRegressor ? Task.REGRESSION : Task.CLASSIFICATION),
                        p.doc());
                Object d = spec.defaultValue(Task.CLASSIFICATION);
                if (d == null) {
                    assertFalse(owner.hasDefault(p), spec.name());
                } else if (d instanceof int[] a) {
                    assertArrayEquals(a, (int[]) owner.getDefault(p).get());
                } else if (d instanceof double[] a) {
                    assertArrayEquals(a, (double[]) owner.getDefault(p).get());
                } else if (!spec.name().equals("loss")) {
                    assertEquals(d, owner.getDefault(p).get(), spec.name());
                }
            }
        }
        assertEquals("crossEntropy", c.getLoss());
        assertEquals("quadratic", r.getLoss());
        assertThrows(IllegalArgumentException.class, () -> r.setLoss("crossEntropy"));
    }

    @Test
    void noParamOfTheEstimatorsIsMissingFromTheDeclaredList() {
        Set<String> declared = new TreeSet<>();
        FeedForwardParams.ALL.forEach(s -> declared.add(s.name()));
        Set<String> sparkOwn = Set.of("featuresCol", "labelCol", "predictionCol", "probabilityCol", "rawPredictionCol",
                "thresholds");
        for (Param<?> p : new FeedForwardClassifier().params()) {
            assertTrue(declared.contains(p.name()) || sparkOwn.contains(p.name()), p.name());
        }
    }

    @Test
    void theNewParamsSurviveCopyAndSaveLoad(@TempDir Path dir) throws Exception {
        FeedForwardClassifier c = small().setAdamBeta1(0.7).setAdamEpsilon(1e-6);
        FeedForwardClassifier copy = c.copy(ParamMap.empty());
        assertEquals(0.7, copy.getAdamBeta1());
        String path = dir.resolve("estimator").toString();
        c.write().save(path);
        FeedForwardClassifier loaded = FeedForwardClassifier.load(path);
        assertEquals(0.7, loaded.getAdamBeta1());
        assertEquals(1e-6, loaded.getAdamEpsilon());
        assertEquals(c.uid(), loaded.uid());

        FeedForwardClassificationModel model = c.fit(data);
        String modelPath = dir.resolve("model").toString();
        model.write().save(modelPath);
        FeedForwardClassificationModel back = FeedForwardClassificationModel.load(modelPath);
        assertEquals(0.7, back.getAdamBeta1());
        assertArrayEquals(model.weights().toArray(), back.weights().toArray(), 0.0);
        assertFalse(back.hasSummary());
        assertTrue(model.copy(ParamMap.empty()).hasSummary());
    }
}
