package io.sparkprop.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.data.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A table's columns turned into the features vector (and a text label into class indices) by
 * Spark's own stages, fitted on the training rows: {@code Imputer} (mean) for empty numeric cells,
 * {@code StringIndexer} and {@code OneHotEncoder} for text columns, {@code VectorAssembler} to put
 * the columns back in the table's order. Saved in the model folder ({@code table/}) and applied
 * by evaluate and predict.
 *
 * <p>Categories are indexed alphabetically with {@code handleInvalid=keep}, which adds one slot
 * for values not seen in training; the one-hot encoder drops that last slot, so an unseen value is
 * the all-zero code and every known value has a unit of its own.
 */
public final class TableEncoding {
    static final String FOLDER = "table";
    private static final String PREFIX = "_sparkprop_";
    private static final String LABEL_INDEX = PREFIX + "label_index";
    private static final String TEXT = "text_";

    private final TablePlan plan;
    private final String labelCol;
    private final List<String> featureColumns;
    private final List<String> notFeatures;
    private final PipelineModel features;
    private final StringIndexerModel labels; // null unless the label is text

    private TableEncoding(TablePlan plan, String labelCol, List<String> featureColumns, List<String> notFeatures,
                          PipelineModel features, StringIndexerModel labels) {
        this.plan = plan;
        this.labelCol = labelCol;
        this.featureColumns = List.copyOf(featureColumns);
        this.notFeatures = List.copyOf(notFeatures);
        this.features = features;
        this.labels = labels;
    }

    /** Fits the stages on {@code training}'s usable rows (see {@link #usable}). */
    public static TableEncoding fit(LabeledFrame training, TablePlan plan, List<String> notFeatures) {
        String label = training.labelCol();
        List<String> columns = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String c : training.inputColumns()) {
            if (notFeatures.contains(c)) {
                others.add(c);
            } else if (!c.equals(label) && !c.equals(LabeledFrame.LINE)) {
                columns.add(c);
            }
        }
        if (columns.isEmpty()) {
            throw new InputException(training.source() + ": no feature columns besides the label '" + label + "'");
        }
        TableEncoding unfitted = new TableEncoding(plan, label, columns, others, null, null);
        Dataset<Row> rows = unfitted.usable(training, true);
        List<String> numeric = columns.stream().filter(c -> !plan.isText(c)).toList();
        List<String> text = columns.stream().filter(plan::isText).toList();
        boolean impute = plan.missing() == MissingCells.MEAN && !numeric.isEmpty();
        List<PipelineStage> stages = new ArrayList<>();
        if (impute) {
            stages.add(new Imputer().setStrategy("mean").setInputCols(numeric.toArray(String[]::new))
                    .setOutputCols(prefixed("imputed_", numeric)));
        }
        if (!text.isEmpty()) {
            stages.add(new StringIndexer().setInputCols(prefixed(TEXT, text))
                    .setOutputCols(prefixed("index_", text)).setHandleInvalid("keep")
                    .setStringOrderType("alphabetAsc"));
            stages.add(new OneHotEncoder().setInputCols(prefixed("index_", text))
                    .setOutputCols(prefixed("onehot_", text)).setDropLast(true));
        }
        List<String> assembled = new ArrayList<>();
        for (String c : columns) {
            assembled.add(plan.isText(c) ? PREFIX + "onehot_" + c : impute ? PREFIX + "imputed_" + c : c);
        }
        stages.add(new VectorAssembler().setInputCols(assembled.toArray(String[]::new))
                .setOutputCol(InputFormats.FEATURES).setHandleInvalid("error"));
        PipelineModel fitted = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(rows);
        StringIndexerModel labelIndex = null;
        if (plan.isText(label) && training.hasLabel()) {
            labelIndex = new StringIndexer().setInputCol(label).setOutputCol(LABEL_INDEX).setHandleInvalid("keep")
                    .setStringOrderType("alphabetAsc").fit(rows);
        }
        return new TableEncoding(plan, label, columns, others, fitted, labelIndex);
    }

    private static String[] prefixed(String kind, List<String> columns) {
        return columns.stream().map(c -> PREFIX + kind + c).toArray(String[]::new);
    }

    public TablePlan plan() {
        return plan;
    }

    /** The class names, in index order, when the label is text; else empty. */
    public List<String> classNames() {
        return labels == null ? List.of() : List.of(labels.labelsArray()[0]);
    }

    /** Each text feature column with the number of values it was fitted with, in the table's order. */
    public Map<String, Integer> categories() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Transformer stage : features.stages()) {
            if (stage instanceof StringIndexerModel indexer) {
                String[] inputs = indexer.getInputCols();
                String[][] values = indexer.labelsArray();
                for (int i = 0; i < inputs.length; i++) {
                    counts.put(inputs[i].substring((PREFIX + TEXT).length()), values[i].length);
                }
            }
        }
        return counts;
    }

    /** Whether this encoding does more than assemble numeric columns: ONNX export cannot carry it. */
    public boolean transformsCells() {
        return featureColumns.stream().anyMatch(plan::isText) || labels != null
                || plan.missing() == MissingCells.MEAN;
    }

    /**
     * The rows that can be used as {@code data.missing} says: all of them (a null cell is an error
     * naming the column), those without an empty cell (drop), or those with a label (mean). Each
     * text column gets a copy for the stages to read, where under mean an empty cell is the
     * "missing" category; the table's own columns stay as they were read (predict writes them).
     *
     * @param withLabel whether the label takes part (training, evaluate) or is only carried along (predict)
     */
    public Dataset<Row> usable(LabeledFrame raw, boolean withLabel) {
        Dataset<Row> d = raw.frame();
        List<String> present = Arrays.asList(d.columns());
        boolean label = withLabel && present.contains(labelCol);
        List<String> needed = new ArrayList<>(featureColumns);
        if (label) {
            needed.add(labelCol);
        }
        for (String c : notFeatures) {
            if (present.contains(c)) {
                needed.add(c);
            }
        }
        switch (plan.missing()) {
            case DROP -> d = d.na().drop(needed.toArray(String[]::new));
            case MEAN -> {
                if (label) {
                    d = d.na().drop(new String[] {labelCol});
                }
            }
            default -> requireNoEmptyCells(raw, needed);
        }
        for (String c : featureColumns) {
            if (plan.isText(c)) {
                Column cell = functions.col(c);
                d = d.withColumn(PREFIX + TEXT + c, plan.missing() == MissingCells.MEAN
                        ? functions.coalesce(cell, functions.lit(MissingCells.MISSING_CATEGORY)) : cell);
            }
        }
        return d;
    }

    /** For tables without line numbers (Parquet); CSV cells were checked as they were read. */
    private static void requireNoEmptyCells(LabeledFrame raw, List<String> columns) {
        if (raw.hasLineNumbers()) {
            return;
        }
        Column[] nulls = columns.stream().map(c -> functions.sum(functions.when(functions.col(c).isNull(), 1)
                .otherwise(0))).toArray(Column[]::new);
        Row counts = raw.frame().agg(nulls[0], Arrays.copyOfRange(nulls, 1, nulls.length)).first();
        for (int i = 0; i < columns.size(); i++) {
            if (!counts.isNullAt(i) && counts.getLong(i) > 0) {
                long n = counts.getLong(i);
                throw new InputException(raw.source() + ": column '" + columns.get(i) + "' has "
                        + (n == 1 ? "an empty cell" : n + " empty cells") + " (data.missing=drop or mean accepts them)");
            }
        }
    }

    /**
     * The usable rows with a features column, and the label (when the table has it and
     * {@code withLabel}) as a class index in place of its text. A class name training did not see
     * becomes index K (check names first, see {@link #classNames}).
     */
    public Dataset<Row> encode(LabeledFrame raw, boolean withLabel) {
        List<String> present = Arrays.asList(raw.frame().columns());
        for (String c : featureColumns) {
            if (!present.contains(c)) {
                throw new InputException(raw.source() + ": no column '" + c + "'; the model was trained on "
                        + featureColumns);
            }
        }
        Dataset<Row> d = features.transform(usable(raw, withLabel));
        if (withLabel && labels != null && Arrays.asList(d.columns()).contains(labelCol)) {
            d = labels.transform(d).withColumn(labelCol, functions.col(LABEL_INDEX));
        }
        for (String c : d.columns()) {
            if (c.startsWith(PREFIX)) {
                d = d.drop(c);
            }
        }
        return d;
    }

    /** Writes {@code table/} into a model folder (the caller's temporary one: it is renamed whole). */
    public void save(String modelDir, Configuration hadoop) throws IOException {
        Path dir = new Path(modelDir, FOLDER);
        features.write().save(new Path(dir, "features").toString());
        if (labels != null) {
            labels.write().save(new Path(dir, "labels").toString());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("labelCol", labelCol);
        json.put("featureColumns", featureColumns);
        json.put("textColumns", plan.textColumns());
        json.put("notFeatures", notFeatures);
        json.put("missing", plan.missing().keyValue());
        Path file = new Path(dir, "encoding.json");
        try (OutputStream out = file.getFileSystem(hadoop).create(file, false)) {
            out.write(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        }
    }

    /** The encoding saved in a model folder, or null when the model was trained on plain numbers. */
    public static TableEncoding load(String modelDir, Configuration hadoop) {
        Path dir = new Path(modelDir, FOLDER);
        Path file = new Path(dir, "encoding.json");
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            if (!fs.exists(file)) {
                return null;
            }
            Map<?, ?> json;
            try (InputStream in = fs.open(file)) {
                json = new ObjectMapper().readValue(new String(in.readAllBytes(), StandardCharsets.UTF_8), Map.class);
            }
            TablePlan plan = new TablePlan(strings(json.get("textColumns")),
                    MissingCells.of(String.valueOf(json.get("missing"))));
            PipelineModel features = PipelineModel.load(new Path(dir, "features").toString());
            Path labelsDir = new Path(dir, "labels");
            StringIndexerModel labels = fs.exists(labelsDir) ? StringIndexerModel.load(labelsDir.toString()) : null;
            return new TableEncoding(plan, String.valueOf(json.get("labelCol")), strings(json.get("featureColumns")),
                    strings(json.get("notFeatures")), features, labels);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InputException ie) {
                throw ie;
            }
            throw new InputException("model folder " + modelDir + ": unreadable " + FOLDER + "/ (" + e.getMessage()
                    + ")", e);
        }
    }

    private static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) list) {
            out.add(String.valueOf(o));
        }
        return out;
    }
}
