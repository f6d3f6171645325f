package io.sparkprop.cli;

import io.sparkprop.data.InputException;
import io.sparkprop.nn.ConfusionMatrix;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.RegressionErrors;
import io.sparkprop.spark.LabeledFrame;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** Test-set metrics of a classifier or a regressor, as text for people and as a map for JSON. */
final class Evaluation {
    private Evaluation() {
    }

    /** Class {@code k} by its name when the label was text, else by its index (a number in JSON and charts). */
    static Object className(List<String> classNames, int k) {
        return classNames.isEmpty() ? (Object) k : classNames.get(k);
    }

    /**
     * Accuracy, per-class precision, recall and F1 read from the confusion matrix (formulas in nn);
     * classes shown by name when the label was text, else by index.
     */
    record Classification(ConfusionMatrix matrix, double logLoss, List<String> classNames) {
        String name(int k) {
            return String.valueOf(className(classNames, k));
        }

        long rows() {
            return matrix.rows();
        }

        double accuracy() {
            return matrix.accuracy();
        }

        long[][] confusion() {
            return matrix.counts();
        }

        double precision(int k) {
            return matrix.precision(k);
        }

        double recall(int k) {
            return matrix.recall(k);
        }

        double f1(int k) {
            return matrix.f1(k);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rows", rows());
            m.put("accuracy", accuracy());
            m.put("logLoss", logLoss);
            List<Map<String, Object>> perClass = new java.util.ArrayList<>();
            for (int k = 0; k < matrix.classes(); k++) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("class", className(classNames, k));
                c.put("precision", precision(k));
                c.put("recall", recall(k));
                c.put("f1", f1(k));
                perClass.add(c);
            }
            m.put("perClass", perClass);
            m.put("confusionMatrix", confusion());
            return m;
        }

        String toText() {
            int w = 6;
            for (String n : classNames) {
                w = Math.max(w, n.length());
            }
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "rows %d  accuracy %.4f  log loss %.4f%n", rows(), accuracy(), logLoss));
            sb.append(String.format(Locale.ROOT, "%" + w + "s %9s %9s %9s%n", "class", "precision", "recall", "f1"));
            for (int k = 0; k < matrix.classes(); k++) {
                sb.append(String.format(Locale.ROOT, "%" + w + "s %9.4f %9.4f %9.4f%n", name(k), precision(k),
                        recall(k), f1(k)));
            }
            sb.append("confusion matrix (rows: true class, columns: predicted)\n");
            String cell = "%" + (classNames.isEmpty() ? 6 : w + 1) + "s";
            if (!classNames.isEmpty()) {
                sb.append(String.format(Locale.ROOT, cell, ""));
                for (String n : classNames) {
                    sb.append(String.format(Locale.ROOT, cell, n));
                }
                sb.append('\n');
            }
            long[][] counts = confusion();
            for (int k = 0; k < counts.length; k++) {
                if (!classNames.isEmpty()) {
                    sb.append(String.format(Locale.ROOT, cell, name(k)));
                }
                for (long v : counts[k]) {
                    sb.append(String.format(Locale.ROOT, cell, v));
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }

    /** RMSE, MAE and R^2 of a regressor's predictions (formulas in nn). */
    record Regression(RegressionErrors errors) {
        long rows() {
            return errors.count();
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rows", rows());
            m.put("rmse", errors.rmse());
            m.put("mae", errors.mae());
            m.put("r2", errors.r2());
            return m;
        }

        String toText() {
            return String.format(Locale.ROOT, "rows %d  RMSE %.4f  MAE %.4f  R^2 %.4f%n", rows(), errors.rmse(), errors.mae(),
                    errors.r2());
        }
    }

    /**
     * Fails when a label is not a whole number in 0..classes-1 (any whole number >= 0 when
     * classes is 0), naming the value and, for CSV, the first such line.
     */
    static void requireClassLabels(LabeledFrame data, int classes) {
        String labelCol = data.labelCol();
        var label = functions.col(labelCol);
        var wrong = label.isNull().or(label.lt(0)).or(label.notEqual(functions.floor(label)));
        if (classes > 0) {
            wrong = wrong.or(label.geq(classes));
        }
        firstWrong(data, wrong, labelCol).ifPresent(w -> {
            throw new InputException(data.source() + ": " + w.where() + "label " + w.value() + " in column '"
                    + labelCol + "' is " + (classes > 0 ? "not a class the model knows (0.." + (classes - 1) + ")"
                    : "not a class label (a whole number 0, 1, 2, ...)"));
        });
    }

    /** Fails on the first row whose text label is not one of the model's class names. */
    static void requireClassNames(LabeledFrame data, List<String> names) {
        String labelCol = data.labelCol();
        var label = functions.col(labelCol);
        var wrong = label.isNotNull().and(functions.not(label.isin(names.toArray())));
        firstWrong(data, wrong, labelCol).ifPresent(w -> {
            throw new InputException(data.source() + ": " + w.where() + "label '" + w.value() + "' in column '"
                    + labelCol + "' is not a class the model knows (" + String.join(", ", names) + ")");
        });
    }

    /** Fails on the first row whose weight in {@code weightCol} is missing, negative or not finite. */
    static void requireWeights(LabeledFrame data, String weightCol) {
        var w = functions.col(weightCol).cast("double");
        var wrong = w.isNull().or(w.isNaN()).or(w.lt(0)).or(w.equalTo(Double.POSITIVE_INFINITY));
        firstWrong(data, wrong, weightCol).ifPresent(v -> {
            throw new InputException(data.source() + ": " + v.where() + "weight " + v.value() + " in column '"
                    + weightCol + "' is not a finite number >= 0");
        });
    }

    /** Where a value is wrong ("line N, " when the file has line numbers, else "") and what it is. */
    private record Wrong(String where, Object value) {
    }

    /** The first row (by line, when known) where {@code wrong} holds, with its value in {@code column}. */
    private static java.util.Optional<Wrong> firstWrong(LabeledFrame data, org.apache.spark.sql.Column wrong,
                                                        String column) {
        Dataset<Row> bad = data.frame().filter(wrong);
        String where = "";
        if (data.hasLineNumbers()) {
            Row first = bad.agg(functions.min(LabeledFrame.LINE)).first();
            if (first.isNullAt(0)) {
                return java.util.Optional.empty();
            }
            long line = first.getLong(0);
            bad = bad.filter(functions.col(LabeledFrame.LINE).equalTo(line));
            where = "line " + line + ", ";
        }
        List<Row> first = bad.select(column).limit(1).collectAsList();
        return first.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(new Wrong(where, first.get(0).get(0)));
    }

    static Classification classification(Dataset<Row> predictions, String labelCol, int classes,
                                         List<String> classNames) {
        ConfusionMatrix matrix = new ConfusionMatrix(classes);
        for (Row r : predictions.groupBy(labelCol, "prediction").count().collectAsList()) {
            matrix.add((int) ((Number) r.get(0)).doubleValue(), (int) r.getDouble(1), r.getLong(2));
        }
        double logLoss = predictions.select(labelCol, "probability").javaRDD().mapToDouble(r -> {
            double[] p = ((Vector) r.get(1)).toArray();
            return Loss.logLoss(p[(int) ((Number) r.get(0)).doubleValue()]);
        }).mean();
        return new Classification(matrix, logLoss, classNames);
    }

    static Regression regression(Dataset<Row> predictions, String labelCol) {
        RegressionErrors errors = predictions.select(functions.col("prediction"), functions.col(labelCol).cast("double"))
                .na().drop().javaRDD().aggregate(new RegressionErrors(), (e, r) -> e.add(r.getDouble(0), r.getDouble(1)),
                        RegressionErrors::merge);
        return new Regression(errors);
    }
}
