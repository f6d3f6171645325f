package io.sparkprop.spark;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Data read from a file: the file's own columns ({@code inputColumns}, scalar ones first), a
 * {@code features} vector column, and the label column when the file has one.
 */
public record LabeledFrame(Dataset<Row> frame, String source, String labelCol, boolean hasLabel,
                           List<String> inputColumns) {
}
