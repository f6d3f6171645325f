package io.sparkprop.cli;

import io.sparkprop.data.InputException;
import io.sparkprop.ml.FeedForwardParams;
import io.sparkprop.spark.InputFormats;
import io.sparkprop.spark.LabeledFrame;
import io.sparkprop.spark.TableEncoding;
import java.util.List;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A saved model, the table encoding saved with it (null when it was trained on plain numbers), and
 * the data read for it, checked against the width the model takes.
 */
record ModelInputs(PredictionModel<Vector, ?> model, TableEncoding encoding, LabeledFrame input) {

    /**
     * Loads the model in {@code source.model} and reads {@code source.data} for it, encoded as the
     * model folder's table encoding says when it has one; the label column is {@code labelCol} (null:
     * the model's) and takes part when {@code withLabel} (see {@link TableInputs#read}).
     */
    static ModelInputs read(SparkSession spark, ModelDataOptions source, String labelCol, boolean withLabel) {
        PredictionModel<Vector, ?> model = ModelFolder.load(spark, source.model);
        TableEncoding encoding = TableEncoding.load(source.model, spark.sparkContext().hadoopConfiguration());
        String label = labelCol != null ? labelCol : model.getLabelCol();
        return new ModelInputs(model, encoding, read(spark, model, encoding, source.data, source.format, label,
                withLabel));
    }

    /** The model's transform of the data: the input columns plus Spark's prediction columns. */
    Dataset<Row> predictions() {
        return model.setFeaturesCol(InputFormats.FEATURES).transform(input.frame());
    }

    /** The class names of a model trained on a text label; else empty. */
    List<String> classNames() {
        return encoding == null ? List.of() : encoding.classNames();
    }

    private static LabeledFrame read(SparkSession spark, PredictionModel<Vector, ?> model, TableEncoding encoding,
                                     String path, String format, String labelCol, boolean withLabel) {
        // A column the model was trained to weigh rows by is not a feature here either.
        String weight = model instanceof FeedForwardParams p ? p.getWeightCol() : null;
        LabeledFrame input = TableInputs.read(spark, encoding, path, format, labelCol, InputFormats.FEATURES,
                model.numFeatures(), weight == null ? List.of() : List.of(weight), withLabel);
        List<Row> first = input.frame().select(InputFormats.FEATURES).limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new InputException(input.source() + ": no data rows");
        }
        int width = ((Vector) first.get(0).get(0)).size();
        if (width != model.numFeatures()) {
            throw new InputException(input.source() + ": rows have " + width + " features, the model takes "
                    + model.numFeatures() + (input.hasLabel() ? "" : " (is the label column '" + labelCol
                    + "' missing or named differently?)"));
        }
        return input;
    }
}
