package io.sparkprop.cli;

import io.sparkprop.spark.InputFormats;
import io.sparkprop.spark.LabeledFrame;
import io.sparkprop.spark.TableEncoding;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** Data read as a model's table encoding says (text columns, empty cells), or as plain numbers without one. */
final class TableInputs {
    private TableInputs() {
    }

    /**
     * The file's rows with a features column; with an encoding, its usable rows (see
     * {@link TableEncoding#usable}) and a text label as the class index, after checking that every
     * class name is one the model knows.
     */
    static LabeledFrame read(SparkSession spark, TableEncoding encoding, String path, String format, String label,
                             String featuresCol, int numFeatures, List<String> notFeatures) {
        return read(spark, encoding, path, format, label, featuresCol, numFeatures, notFeatures, true);
    }

    /**
     * As above; without {@code withLabel} (predict) the label column is carried along as read: rows
     * without one are kept and a text label stays text.
     */
    static LabeledFrame read(SparkSession spark, TableEncoding encoding, String path, String format, String label,
                             String featuresCol, int numFeatures, List<String> notFeatures, boolean withLabel) {
        if (encoding == null) {
            return InputFormats.read(spark, path, format, label, featuresCol, numFeatures, notFeatures);
        }
        LabeledFrame raw = InputFormats.read(spark, path, format, label, featuresCol, numFeatures, notFeatures,
                encoding.plan());
        if (raw.hasLabel() && !encoding.classNames().isEmpty()) {
            Evaluation.requireClassNames(raw, encoding.classNames());
        }
        return raw.withFrame(encoding.encode(raw, withLabel));
    }
}
