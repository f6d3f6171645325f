package io.sparkprop.cli;

import io.sparkprop.data.InputException;
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

    record Classification(long rows, double accuracy, double logLoss, long[][] confusion) {

        double precision(int k) {
            long predicted = 0;
            for (long[] row : confusion) {
                predicted += row[k];
            }
            return predicted == 0 ? 0 : (double) confusion[k][k] / predicted;
        }

        double recall(int k) {
            long actual = 0;
            for (long v : confusion[k]) {
                actual += v;
            }
            return actual == 0 ? 0 : (double) confusion[k][k] / actual;
        }

        double f1(int k) {
            double p = precision(k);
            double r = recall(k);
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rows", rows);
            m.put("accuracy", accuracy);
            m.put("logLoss", logLoss);
            List<Map<String, Object>> perClass = new java.util.ArrayList<>();
            for (int k = 0; k < confusion.length; k++) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("class", k);
                c.put("precision", precision(k));
                c.put("recall", recall(k));
                c.put("f1", f1(k));
                perClass.add(c);
            }
            m.put("perClass", perClass);
            m.put("confusionMatrix", confusion);
            return m;
        }

        String toText() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "rows %d  accuracy %.4f  log loss %.4f%n", rows, accuracy, logLoss));
            sb.append(String.format(Locale.ROOT, "%6s %9s %9s %9s%n", "class", "precision", "recall", "f1"));
            for (int k = 0; k < confusion.length; k++) {
                sb.append(String.format(Locale.ROOT, "%6d %9.4f %9.4f %9.4f%n", k, precision(k), recall(k), f1(k)));
            }
            sb.append("confusion matrix (rows: true class, columns: predicted)\n");
            for (long[] row : confusion) {
                for (long v : row) {
                    sb.append(String.format(Locale.ROOT, "%6d", v));
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }

    record Regression(long rows, double rmse, double mae, double r2) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rows", rows);
            m.put("rmse", rmse);
            m.put("mae", mae);
            m.put("r2", r2);
            return m;
        }

        String toText() {
            return String.format(Locale.ROOT, "rows %d  RMSE %.4f  MAE %.4f  R^2 %.4f%n", rows, rmse, mae, r2);
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
        Dataset<Row> bad = data.frame().filter(wrong);
        String where = "";
        if (data.hasLineNumbers()) {
            Row first = bad.agg(functions.min(LabeledFrame.LINE)).first();
            if (first.isNullAt(0)) {
                return;
            }
            long line = first.getLong(0);
            bad = bad.filter(functions.col(LabeledFrame.LINE).equalTo(line));
            where = "line " + line + ", ";
        }
        List<Row> first = bad.select(labelCol).limit(1).collectAsList();
        if (!first.isEmpty()) {
            Object v = first.get(0).get(0);
            throw new InputException(data.source() + ": " + where + "label " + v + " in column '" + labelCol + "' is "
                    + (classes > 0 ? "not a class the model knows (0.." + (classes - 1) + ")"
                    : "not a class label (a whole number 0, 1, 2, ...)"));
        }
    }

    static Classification classification(Dataset<Row> predictions, String labelCol, int classes) {
        long[][] confusion = new long[classes][classes];
        long rows = 0;
        for (Row r : predictions.groupBy(labelCol, "prediction").count().collectAsList()) {
            int actual = (int) ((Number) r.get(0)).doubleValue();
            int predicted = (int) r.getDouble(1);
            confusion[actual][predicted] += r.getLong(2);
            rows += r.getLong(2);
        }
        long right = 0;
        for (int k = 0; k < classes; k++) {
            right += confusion[k][k];
        }
        double logLoss = predictions.select(labelCol, "probability").javaRDD().mapToDouble(r -> {
            double[] p = ((Vector) r.get(1)).toArray();
            int k = (int) ((Number) r.get(0)).doubleValue();
            return -Math.log(Math.max(p[k], 1e-15));
        }).mean();
        return new Classification(rows, rows == 0 ? Double.NaN : (double) right / rows, logLoss, confusion);
    }

    static Regression regression(Dataset<Row> predictions, String labelCol) {
        var y = functions.col(labelCol).cast("double");
        var err = functions.col("prediction").minus(y);
        Row r = predictions.agg(functions.count(y), functions.avg(err.multiply(err)), functions.avg(functions.abs(err)),
                functions.var_pop(y)).first();
        long rows = r.getLong(0);
        double mse = r.getDouble(1);
        double variance = r.getDouble(3);
        return new Regression(rows, Math.sqrt(mse), r.getDouble(2), variance > 0 ? 1 - mse / variance : Double.NaN);
    }
}
