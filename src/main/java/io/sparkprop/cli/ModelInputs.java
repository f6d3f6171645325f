package io.sparkprop.cli;

import io.sparkprop.data.InputException;
import io.sparkprop.ml.FeedForwardParams;
import io.sparkprop.spark.InputFormats;
import io.sparkprop.spark.LabeledFrame;
import io.sparkprop.spark.TableEncoding;
import java.util.List;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Data read for a saved model, checked against the width the model takes. */
final class ModelInputs {
    private ModelInputs() {
    }

    /**
     * The data, encoded as the model folder's table encoding says when it has one; the label takes
     * part when {@code withLabel} (see {@link TableInputs#read}).
     */
    static LabeledFrame read(SparkSession spark, PredictionModel<Vector, ?> model, TableEncoding encoding, String path,
                             String format, String labelCol, boolean withLabel) {
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
