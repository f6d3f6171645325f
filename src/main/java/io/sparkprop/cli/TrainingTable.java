package io.sparkprop.cli;

import io.sparkprop.data.RowIdentity;
import io.sparkprop.spark.InputFormats;
import io.sparkprop.spark.LabeledFrame;
import io.sparkprop.spark.MissingCells;
import io.sparkprop.spark.RowSplits;
import io.sparkprop.spark.TableEncoding;
import io.sparkprop.spark.TablePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The training file's rows ready for the estimator: as read for plain numbers, or encoded by a
 * {@link TableEncoding} fitted here on the training rows. {@code splitKey} is the column the test
 * rows are held out by (null: the rows' features and label), and {@code headerLine} what the
 * header says about the table ("" for plain numbers).
 */
record TrainingTable(TableEncoding encoding, Dataset<Row> rows, String splitKey, String headerLine) {
    /** A table's rows' identity, a hash of their cells, taken before they are encoded. */
    static final String ROW_KEY = "_table_row";

    static TrainingTable plain(Dataset<Row> rows, String idCol) {
        return new TrainingTable(null, rows, idCol, "");
    }

    /**
     * Fits the encoding on the training rows only: the held-out test rows ({@code testFraction}
     * under the seed) are split off first, by the identity of their cells (or idCol), exactly as
     * the encoded rows are split afterwards. The encoded rows are cached in {@code cached}.
     */
    static TrainingTable fit(LabeledFrame raw, TablePlan plan, List<String> notFeatures, String idCol, long seed,
                             double testFraction, CachedInput cached) {
        String splitKey = idCol != null ? idCol : ROW_KEY;
        Dataset<Row> fitRows = testFraction > 0 ? RowSplits.split(raw.frame(), InputFormats.FEATURES, raw.labelCol(),
                splitKey, seed, RowIdentity.TEST, testFraction)[0] : raw.frame();
        TableEncoding encoding = TableEncoding.fit(raw.withFrame(fitRows), plan, notFeatures);
        Dataset<Row> encoded = cached.cache(encoding.encode(raw, true));
        long leftOut = raw.frame().count() - encoded.count();
        return new TrainingTable(encoding, encoded, splitKey, headerLine(encoding, leftOut));
    }

    /** The header's second line for a table: its categories, class names and the rows left out. */
    private static String headerLine(TableEncoding encoding, long leftOut) {
        List<String> parts = new ArrayList<>();
        Map<String, Integer> categories = encoding.categories();
        if (!categories.isEmpty()) {
            List<String> each = new ArrayList<>();
            categories.forEach((c, n) -> each.add(c + " (" + n + " values)"));
            parts.add("categories: " + String.join(", ", each));
        }
        if (!encoding.classNames().isEmpty()) {
            parts.add("classes: " + String.join(", ", encoding.classNames()));
        }
        MissingCells missing = encoding.plan().missing();
        if (missing != MissingCells.ERROR) {
            parts.add(String.format(Locale.ROOT, "data.missing=%s: %,d rows %s left out", missing.keyValue(),
                    leftOut, missing == MissingCells.DROP ? "with an empty cell" : "without a label"));
        }
        return parts.isEmpty() ? "" : String.join(" | ", parts) + "\n";
    }
}
