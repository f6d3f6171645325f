package io.sparkprop.cli;

import io.sparkprop.data.InputException;
import io.sparkprop.ml.FeedForwardClassificationModel;
import io.sparkprop.spark.HadoopFiles;
import io.sparkprop.spark.LabeledFrame;
import io.sparkprop.spark.MissingCells;
import io.sparkprop.spark.TableEncoding;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.functions$;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Write the input columns plus prediction (and probability for a classifier): Parquet, or one"
                + " CSV file when the output path ends in .csv (probability as probability_0, probability_1, ...)."
                + " A model trained on text labels adds predictedLabel, the class name, and names the"
                + " probability columns by class.")
final class PredictCommand implements Callable<Integer> {
    /** The predicted class's name, beside Spark's numeric prediction, when the label was text. */
    static final String PREDICTED_LABEL = "predictedLabel";

    @Spec
    CommandSpec spec;

    @Mixin
    ModelDataOptions source;

    @Option(names = "--output", required = true, paramLabel = "PATH", description = "where to write the predictions")
    String output;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        SparkSession spark = Sessions.get("sparkprop predict");
        ModelInputs read = ModelInputs.read(spark, source, null, false);
        PredictionModel<Vector, ?> m = read.model();
        TableEncoding encoding = read.encoding();
        LabeledFrame input = read.input();
        // A table's labels are only carried along (names were checked as they were read, and empty
        // ones may stand); plain numbers are checked as always.
        if (m instanceof FeedForwardClassificationModel c && input.hasLabel() && encoding == null) {
            Evaluation.requireClassLabels(input, c.numClasses());
        }
        List<String> names = read.classNames();
        Dataset<Row> predicted = read.predictions();
        if (!names.isEmpty()) { // class indices back to the names they were trained from
            predicted = new IndexToString().setInputCol("prediction").setOutputCol(PREDICTED_LABEL)
                    .setLabels(names.toArray(String[]::new)).transform(predicted);
        }
        boolean csv = output.toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
        List<Column> columns = new ArrayList<>();
        for (String name : input.inputColumns()) {
            if (!csv || !(predicted.schema().apply(name).dataType() instanceof VectorUDT)) {
                columns.add(functions.col(name));
            }
        }
        columns.add(functions.col("prediction"));
        if (!names.isEmpty()) {
            columns.add(functions.col(PREDICTED_LABEL));
        }
        boolean classifier = m instanceof FeedForwardClassificationModel;
        if (classifier && csv) {
            Column probs = functions$.MODULE$.vector_to_array(functions.col("probability"), "float64");
            int k = ((FeedForwardClassificationModel) m).numClasses();
            for (int j = 0; j < k; j++) {
                columns.add(probs.getItem(j).as("probability_" + Evaluation.className(names, j)));
            }
        } else if (classifier) {
            columns.add(functions.col("probability"));
        }
        Dataset<Row> result = predicted.select(columns.toArray(new Column[0]));
        long rows = write(spark, result, output, csv);
        boolean dropped = encoding != null && encoding.plan().missing() == MissingCells.DROP;
        out.printf("%,d predictions written to %s%s%n", rows, output,
                dropped ? " (data.missing=drop: rows with an empty cell are left out)" : "");
        return 0;
    }

    /** Writes to a temporary sibling and renames it into place; a CSV becomes one file with a header. */
    private static long write(SparkSession spark, Dataset<Row> result, String output, boolean csv) throws IOException {
        Path target = new Path(output);
        FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
        Dataset<Row> cached = result.cache();
        try {
            long rows = cached.count();
            HadoopFiles.writeVia(fs, target, tmp -> {
                if (!csv) {
                    cached.write().parquet(tmp.toString());
                    return tmp;
                }
                cached.coalesce(1).write().option("header", "true").csv(tmp.toString());
                FileStatus[] parts = fs.globStatus(new Path(tmp, "part-*"));
                if (parts == null || parts.length != 1) {
                    throw new IOException("expected one CSV part file in " + tmp);
                }
                return parts[0].getPath();
            });
            return rows;
        } catch (IOException e) {
            throw new InputException(output + ": cannot be written (" + e.getMessage() + ")", e);
        } finally {
            cached.unpersist();
        }
    }
}
