package io.sparkprop.ml;

import static io.sparkprop.spark.SparkTestSupport.relativeDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.RowIdentity;
import io.sparkprop.spark.RowSplits;
import io.sparkprop.spark.SparkTestSupport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same data, seed and settings give the same model on any partitioning and in any row order:
 * held-out rows and the rows of every step follow from each row's identity, not its partition.
 * Across partitionings sums are added in another order, so the contract is rounding-level
 * (max |dw| / max |w| <= 1e-6), not bitwise.
 */
class PartitionInvarianceTest {
    static SparkSession spark;
    static List<Row> digits;
    static final StructType SCHEMA = new StructType().add("features", new VectorUDT(), false)
            .add("label", DataTypes.DoubleType, false);

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.session();
        digits = MlTestData.assembled(spark, "digits").selectExpr("features", "cast(label as double) label")
                .collectAsList();
    }

    static Dataset<Row> frame(List<Row> rows, StructType schema, int partitions) {
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    /** Mini-batch Adam, a few epochs, standardised features and a validation share: every path that chooses rows. */
    static FeedForwardClassifier adam() {
        return new FeedForwardClassifier().setHiddenLayers(24).setOptimizer("adam").setStepSize(0.01)
                .setBatchSize(64).setMaxEpochs(4).setSeed(11).setValidationFraction(0.15);
    }

    @Test
    void oneThreeAndSevenPartitionsGiveTheSameWeights() {
        FeedForwardClassificationModel one = adam().fit(frame(digits, SCHEMA, 1));
        for (int partitions : new int[] {3, 7}) {
            Dataset<Row> df = frame(digits, SCHEMA, partitions);
            assertEquals(partitions, df.rdd().getNumPartitions());
            FeedForwardClassificationModel other = adam().fit(df);
            double diff = relativeDifference(other.weights().toArray(), one.weights().toArray());
            assertTrue(diff <= 1e-6, partitions + " partitions: weights differ by " + diff + " relative");
            var a = one.summary().epochs();
            var b = other.summary().epochs();
            for (int e = 0; e < a.size(); e++) {
                assertEquals(a.get(e).samples(), b.get(e).samples(), "rows trained in epoch " + (e + 1));
                assertEquals(a.get(e).validationMetric(), b.get(e).validationMetric(), 1e-9,
                        "validation accuracy, epoch " + (e + 1));
            }
        }
        assertTrue(one.summary().epochs().get(3).validationMetric() > 0.85, "it learns");
    }

    @Test
    void rowsThatArriveInAnotherOrderGiveTheSameModel() {
        List<Row> reversed = new ArrayList<>(digits);
        Collections.reverse(reversed);
        FeedForwardClassificationModel forward = adam().fit(spark.createDataFrame(digits, SCHEMA).coalesce(1));
        FeedForwardClassificationModel backward = adam().fit(spark.createDataFrame(reversed, SCHEMA).coalesce(1));
        double diff = relativeDifference(backward.weights().toArray(), forward.weights().toArray());
        assertTrue(diff <= 1e-6, "weights differ by " + diff + " relative");
    }

    @Test
    void aFixedPartitioningIsBitwiseReproducible() {
        Dataset<Row> df = frame(digits, SCHEMA, 3).cache();
        try {
            double[] a = adam().fit(df).weights().toArray();
            double[] b = adam().fit(df).weights().toArray();
            assertArrayEquals(a, b, 0.0);
        } finally {
            df.unpersist();
        }
    }

    /**
     * float32 keeps the guarantees: bitwise the same on a fixed partitioning, the same rows per
     * step on any, and weights that differ across partitionings by float's rounding (sums added in
     * another order, then amplified over 4 epochs of Adam), not by a different fit.
     */
    @Test
    void float32IsBitwiseReproducibleOnAFixedPartitioningAndCloseOnAnother() {
        Dataset<Row> three = frame(digits, SCHEMA, 3).cache();
        try {
            FeedForwardClassificationModel a = adam().setPrecision("float32").fit(three);
            double[] b = adam().setPrecision("float32").fit(three).weights().toArray();
            assertArrayEquals(a.weights().toArray(), b, 0.0);

            FeedForwardClassificationModel seven = adam().setPrecision("float32").fit(frame(digits, SCHEMA, 7));
            double diff = relativeDifference(seven.weights().toArray(), b);
            assertTrue(diff <= 1e-3, "7 against 3 partitions: weights differ by " + diff + " relative");
            double[] f64 = adam().fit(three).weights().toArray();
            double fromFloat64 = relativeDifference(f64, b);
            assertTrue(fromFloat64 > 0 && fromFloat64 <= 1e-3, "float32 against float64: " + fromFloat64);
            for (int e = 0; e < 4; e++) {
                assertEquals(a.summary().epochs().get(e).samples(), seven.summary().epochs().get(e).samples());
            }
            assertTrue(a.summary().epochs().get(3).validationMetric() > 0.85, "it learns");
        } finally {
            three.unpersist();
        }
    }

    /** Dropout's masks follow each row's identity, not where the row is: any partitioning trains the same model. */
    @Test
    void dropoutMasksFollowTheRowsNotThePartitions() {
        FeedForwardClassificationModel one = adam().setDropout(0.3).fit(frame(digits, SCHEMA, 1));
        FeedForwardClassificationModel three = adam().setDropout(0.3).fit(frame(digits, SCHEMA, 3));
        double diff = relativeDifference(three.weights().toArray(), one.weights().toArray());
        assertTrue(diff <= 1e-6, "3 partitions against 1: weights differ by " + diff + " relative");
        double[] without = adam().fit(frame(digits, SCHEMA, 1)).weights().toArray();
        assertTrue(relativeDifference(without, one.weights().toArray()) > 1e-2, "dropout changes the fit");
        assertTrue(one.summary().epochs().get(3).validationMetric() > 0.85, "it learns with dropout");
    }

    @Test
    void heldOutRowsAreTheSameSetOnAnyPartitionCount() {
        Set<Long> reference = null;
        long referenceCount = -1;
        for (int partitions : new int[] {1, 4, 9}) {
            Dataset<Row> df = frame(digits, SCHEMA, partitions);
            Dataset<Row> test = RowSplits.split(df, "features", "label", null, 42, RowIdentity.TEST, 0.2)[1];
            Set<Long> ids = new TreeSet<>(test.select(RowSplits.identity(test, "features", "label", null))
                    .as(org.apache.spark.sql.Encoders.LONG()).collectAsList());
            long count = test.count();
            if (reference == null) {
                reference = ids;
                referenceCount = count;
                assertEquals(0.2 * digits.size(), count, 60);
            } else {
                assertEquals(reference, ids, partitions + " partitions");
                assertEquals(referenceCount, count, "exact duplicates go together, so the count agrees too");
            }
        }
    }

    static final StructType WITH_ID = new StructType().add("id", DataTypes.LongType, false)
            .add("features", new VectorUDT(), false).add("label", DataTypes.DoubleType, false);

    /** The digits with an id each; {@code nudge} moves every feature by one ulp (as a reader might). */
    static List<Row> withIds(boolean nudge) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < digits.size(); i++) {
            double[] x = ((Vector) digits.get(i).get(0)).toArray();
            if (nudge) {
                for (int j = 0; j < x.length; j++) {
                    x[j] = Math.nextUp(x[j]);
                }
            }
            rows.add(RowFactory.create((long) i, Vectors.dense(x), digits.get(i).getDouble(1)));
        }
        return rows;
    }

    @Test
    void withAnIdColumnTheIdDecides() {
        Dataset<Row> exact = frame(withIds(false), WITH_ID, 2);
        Dataset<Row> nudged = frame(withIds(true), WITH_ID, 5);
        // Held out by id: the same ids, although every feature changed in its last bit.
        List<Long> a = heldOutIds(exact, "id");
        assertEquals(a, heldOutIds(nudged, "id"));
        // By content, the nudged rows are other rows and fall elsewhere.
        assertTrue(!a.equals(heldOutIds(nudged, null)), "by content the nudge changes the split");

        // The same batches too: the models agree to the rounding the nudge itself causes.
        FeedForwardClassificationModel m1 = adam().setIdCol("id").setStandardize(false).fit(exact);
        FeedForwardClassificationModel m2 = adam().setIdCol("id").setStandardize(false).fit(nudged);
        double diff = relativeDifference(m2.weights().toArray(), m1.weights().toArray());
        assertTrue(diff <= 1e-6, "with idCol, weights differ by " + diff);
        FeedForwardClassificationModel byContent = adam().setStandardize(false).fit(nudged);
        double contentDiff = relativeDifference(byContent.weights().toArray(), m1.weights().toArray());
        assertTrue(contentDiff > 1e-3, "without idCol the nudged rows make other batches: " + contentDiff);
    }

    static List<Long> heldOutIds(Dataset<Row> df, String idCol) {
        Dataset<Row> held = RowSplits.split(df, "features", "label", idCol, 42, RowIdentity.TEST, 0.2)[1];
        List<Long> ids = new ArrayList<>(held.select("id").as(org.apache.spark.sql.Encoders.LONG()).collectAsList());
        Collections.sort(ids);
        return ids;
    }
}
