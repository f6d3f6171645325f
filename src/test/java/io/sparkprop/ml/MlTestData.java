package io.sparkprop.ml;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The bundled CSVs read by Spark, as a user would. */
final class MlTestData {
    private MlTestData() {
    }

    static String path(String dataset) {
        try {
            return Path.of(MlTestData.class.getResource("/datasets/" + dataset + ".csv").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Dataset<Row> csv(SparkSession spark, String dataset) {
        return spark.read().option("header", "true").option("inferSchema", "true").csv(path(dataset));
    }

    /** (features, label) rows: each row of x with the vector label that {@code label} gives it. */
    static Dataset<Row> vectorLabelled(SparkSession spark, double[][] x,
                                       java.util.function.Function<double[], double[]> label) {
        java.util.List<Row> rows = new java.util.ArrayList<>();
        for (double[] r : x) {
            rows.add(org.apache.spark.sql.RowFactory.create(org.apache.spark.ml.linalg.Vectors.dense(r),
                    org.apache.spark.ml.linalg.Vectors.dense(label.apply(r))));
        }
        var vector = new org.apache.spark.ml.linalg.VectorUDT();
        return spark.createDataFrame(rows, new org.apache.spark.sql.types.StructType().add("features", vector)
                .add("label", vector));
    }

    /** The CSV with its feature columns assembled into {@code features} and the last column as {@code label}. */
    static Dataset<Row> assembled(SparkSession spark, String dataset) {
        Dataset<Row> raw = csv(spark, dataset);
        String[] cols = raw.columns();
        String label = cols[cols.length - 1];
        return new VectorAssembler().setInputCols(Arrays.copyOf(cols, cols.length - 1)).setOutputCol("features")
                .transform(raw).withColumnRenamed(label, "label").select("features", "label");
    }
}
