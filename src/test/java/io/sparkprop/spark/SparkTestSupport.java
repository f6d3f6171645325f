package io.sparkprop.spark;

import io.sparkprop.data.BlockStacker;
import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** One local[2] SparkSession for the whole test run (sessions cost seconds), and small datasets. */
public final class SparkTestSupport {
    private SparkTestSupport() {
    }

    public static SparkSession session() {
        return SparkSession.builder()
                .master("local[2]")
                .appName("sparkprop-tests")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    /** Random rows: features in [-2, 2), integer labels below {@code classes}. */
    public static double[][] features(int rows, int width, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[rows][width];
        for (double[] row : x) {
            for (int j = 0; j < width; j++) {
                row[j] = r.nextDouble(-2, 2);
            }
        }
        return x;
    }

    /** Labels that depend on the features, so there is something to learn. */
    public static double[] labels(double[][] x, int classes) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double s = 0;
            for (int j = 0; j < x[i].length; j++) {
                s += (j + 1) * x[i][j];
            }
            y[i] = Math.floorMod((long) Math.floor(s), classes);
        }
        return y;
    }

    /** A DataFrame (features, label) whose partitions hold exactly {@code sizes} rows, in order. */
    public static Dataset<Row> frame(SparkSession spark, double[][] x, double[] y, int... sizes) {
        List<List<Row>> parts = new ArrayList<>();
        int at = 0;
        for (int size : sizes) {
            List<Row> part = new ArrayList<>();
            for (int i = 0; i < size; i++, at++) {
                part.add(RowFactory.create(Vectors.dense(x[at]), y[at]));
            }
            parts.add(part);
        }
        if (at != x.length) {
            throw new IllegalArgumentException("sizes add up to " + at + ", not " + x.length);
        }
        JavaRDD<Row> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(parts, parts.size())
                .flatMap(List::iterator);
        StructType schema = new StructType()
                .add("features", new VectorUDT(), false)
                .add("label", DataTypes.DoubleType, false);
        return spark.createDataFrame(rdd, schema);
    }

    public static List<Block> blocks(double[][] x, double[] y, TargetEncoder targets, int blockRows) {
        return blocks(x, y, targets, blockRows, io.sparkprop.nn.Precision.FLOAT64);
    }

    public static List<Block> blocks(double[][] x, double[] y, TargetEncoder targets, int blockRows,
                                     io.sparkprop.nn.Precision precision) {
        BlockStacker s = new BlockStacker(x[0].length, targets, null, blockRows, precision);
        for (int i = 0; i < x.length; i++) {
            s.add(x[i], y[i]);
        }
        return s.finish();
    }

    /** max_i |a_i - b_i| / max_i |b_i|. */
    public static double relativeDifference(double[] a, double[] b) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }
}
