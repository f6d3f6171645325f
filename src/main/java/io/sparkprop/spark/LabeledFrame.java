package io.sparkprop.spark;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Data read from a file: the file's own columns ({@code inputColumns}), a {@code features}
 * vector column, the label column when the file has one, and for CSV a {@link #LINE} column with
 * each row's line number in the file (so later checks can name the line).
 */
public record LabeledFrame(Dataset<Row> frame, String source, String labelCol, boolean hasLabel,
                           List<String> inputColumns, boolean hasLineNumbers) {
    public static final String LINE = "_line";

    /** The same source and columns over other rows (a subset, or the rows encoded). */
    public LabeledFrame withFrame(Dataset<Row> rows) {
        return new LabeledFrame(rows, source, labelCol, hasLabel, inputColumns, hasLineNumbers);
    }
}
