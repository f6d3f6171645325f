package io.sparkprop.spark;

import io.sparkprop.data.ColumnTally;
import io.sparkprop.data.CsvTable;
import io.sparkprop.data.InputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;

/**
 * How a table is read: which of its columns are text (categories, or class names when the label
 * is one) and what its empty cells mean. A plain plan (numbers only, empty cells an error) reads as
 * the formats always have, features straight from the cells; any other goes through a
 * {@link TableEncoding}.
 */
public record TablePlan(List<String> textColumns, MissingCells missing) {
    public static final TablePlan PLAIN = new TablePlan(List.of(), MissingCells.ERROR);

    public TablePlan {
        textColumns = List.copyOf(textColumns);
    }

    public boolean plain() {
        return textColumns.isEmpty() && missing == MissingCells.ERROR;
    }

    public boolean isText(String column) {
        return textColumns.contains(column);
    }

    /**
     * The plan for a training file: its text columns (for CSV, found by one pass over the cells:
     * see {@link ColumnTally}; for Parquet, its string and boolean columns), plus the columns the
     * key data.categorical names, which must exist. LIBSVM and IDX hold numbers only.
     */
    public static TablePlan detect(SparkSession spark, String path, String format, List<String> categorical,
                                   MissingCells missing) {
        String f = InputFormats.format(path, format);
        List<String> names;
        List<String> text = new ArrayList<>();
        switch (f) {
            case "csv" -> {
                JavaRDD<String> lines = InputFormats.csvLines(spark, path);
                String header = InputFormats.csvHeader(lines, path);
                String[] cols = CsvTable.header(header, path);
                ColumnTally tally = lines.filter(l -> !l.isBlank() && !l.equals(header))
                        .aggregate(new ColumnTally(cols.length), ColumnTally::addLine, ColumnTally::merge);
                names = Arrays.asList(cols);
                text.addAll(tally.textColumns(cols));
            }
            case "parquet" -> {
                InputFormats.requireExists(spark, path);
                StructField[] fields = InputFormats.readParquet(spark, path).schema().fields();
                names = new ArrayList<>();
                for (StructField field : fields) {
                    names.add(field.name());
                    if (field.dataType() instanceof StringType || field.dataType() instanceof BooleanType) {
                        text.add(field.name());
                    }
                }
            }
            default -> {
                if (!categorical.isEmpty()) {
                    throw new InputException("key data.categorical: " + f + " data has numbers only; categories need"
                            + " csv or parquet");
                }
                return PLAIN;
            }
        }
        for (String c : categorical) {
            if (!names.contains(c)) {
                throw new InputException("key data.categorical: no column '" + c + "' in " + path + " (columns: "
                        + names + ")");
            }
            if (!text.contains(c)) {
                text.add(c);
            }
        }
        List<String> ordered = new ArrayList<>();
        for (String n : names) {
            if (text.contains(n)) {
                ordered.add(n);
            }
        }
        return new TablePlan(ordered, missing);
    }
}
