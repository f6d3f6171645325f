package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.SparkTestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** weightCol and classWeights through the ML API: what they must leave alone, what they change, and their errors. */
class SampleWeightsTest {
    static SparkSession spark;
    static Dataset<Row> digits;
    static Dataset<Row> cancer;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.session();
        digits = MlTestData.assembled(spark, "digits").repartition(2).cache();
        cancer = MlTestData.assembled(spark, "breast_cancer").repartition(2).cache();
    }

    static FeedForwardClassifier adam() {
        return new FeedForwardClassifier().setHiddenLayers(16).setStepSize(0.01).setBatchSize(64).setMaxEpochs(3)
                .setSeed(4).setValidationFraction(0.2);
    }

    @Test
    void weightsOfOneOrTheSameClassWeightForAllChangeNothing() {
        double[] plain = adam().fit(digits).weights().toArray();
        Dataset<Row> ones = digits.withColumn("w", functions.lit(1));
        assertArrayEquals(plain, adam().setWeightCol("w").fit(ones).weights().toArray(), 0.0);
        // Every weight doubled: the sums double, m doubles, the mean gradient is the same to the bit.
        assertArrayEquals(plain, adam().setClassWeights("2,2,2,2,2,2,2,2,2,2").fit(digits).weights().toArray(), 0.0);
    }

    @Test
    void balancedClassWeightsAreTheTablesOwnAndChangeTheFit() {
        // All rows train (no validation share): 357 benign (0) and 212 malignant (1) rows, so balanced
        // means the weights 569 / (2 x 357) and 569 / (2 x 212).
        FeedForwardClassifier all = adam().setHiddenLayers(8).setValidationFraction(0);
        FeedForwardClassificationModel plain = all.fit(cancer);
        FeedForwardClassificationModel balanced = all.copy(new org.apache.spark.ml.param.ParamMap())
                .setClassWeights("balanced").fit(cancer);
        double diff = SparkTestSupport.relativeDifference(balanced.weights().toArray(), plain.weights().toArray());
        assertTrue(diff > 1e-3, "balanced class weights change the fit: " + diff);
        assertTrue(balanced.summary().epochs().get(2).trainAccuracy() > 0.85, "and it still learns");
        String explicit = (569.0 / (2 * 357)) + "," + (569.0 / (2 * 212));
        FeedForwardClassificationModel given = all.copy(new org.apache.spark.ml.param.ParamMap())
                .setClassWeights(explicit).fit(cancer);
        assertArrayEquals(balanced.weights().toArray(), given.weights().toArray(), 0.0);
    }

    @Test
    void badWeightsAndClassWeightsAreClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> adam().setClassWeights("heavy"));
        assertThrows(IllegalArgumentException.class, () -> adam().setClassWeights("1,-2"));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> adam().setClassWeights("1,2").fit(digits));
        assertEquals("classWeights has 2 weights for 10 classes", count.getMessage());
        IllegalArgumentException regression = assertThrows(IllegalArgumentException.class,
                () -> new FeedForwardRegressor().setClassWeights("balanced").fit(MlTestData.assembled(spark,
                        "diabetes")));
        assertTrue(regression.getMessage().startsWith("classWeights is for classification"), regression.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> adam().setWeightCol("w").fit(digits));
        assertTrue(missing.getMessage().startsWith("no weightCol 'w' among"), missing.getMessage());

        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> adam().setWeightCol("w").fit(digits.withColumn("w", functions.lit("heavy"))));
        assertEquals("training data: weight column 'w' must be numeric, is string", text.getMessage());
        Dataset<Row> oneNegative = digits.withColumn("w", functions.when(functions.col("label").equalTo(3), -1.0)
                .otherwise(1.0)).coalesce(1);
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> adam().setValidationFraction(0).setWeightCol("w").fit(oneNegative));
        assertTrue(negative.getMessage().matches("training data: row \\d+: weight -1.0 is not a finite number >= 0"),
                negative.getMessage());
        Dataset<Row> oneNull = digits.withColumn("w", functions.when(functions.col("label").equalTo(3),
                functions.lit(null).cast("double")).otherwise(1.0)).coalesce(1);
        IllegalArgumentException nullWeight = assertThrows(IllegalArgumentException.class,
                () -> adam().setValidationFraction(0).setWeightCol("w").fit(oneNull));
        assertTrue(nullWeight.getMessage().matches("training data: row \\d+: weight is missing"),
                nullWeight.getMessage());
    }
}
