package io.sparkprop.ml;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The {@code classWeights} param: {@code balanced} (class k weighs m / (K x m_k), m rows in all,
 * m_k of class k, as scikit-learn's "balanced") or one weight per class. It becomes a factor on
 * each row's weight, so the trainer sees only row weights.
 */
final class ClassWeights {
    static final String BALANCED = "balanced";

    private ClassWeights() {
    }

    /** Whether {@code value} is {@code balanced} or a list of finite weights >= 0 (the param's check). */
    static boolean isValid(Object value) {
        String s = String.valueOf(value).trim();
        if (s.equalsIgnoreCase(BALANCED)) {
            return true;
        }
        try {
            return Arrays.stream(list(s)).allMatch(w -> w >= 0 && Double.isFinite(w));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double[] list(String s) {
        return Arrays.stream(s.replace("[", "").replace("]", "").trim().split("[,\\s]+"))
                .mapToDouble(Double::parseDouble).toArray();
    }

    /** The weight of each of {@code classes} classes, counting the rows of {@code train} for {@code balanced}. */
    static double[] of(String spec, Dataset<Row> train, String labelCol, int classes) {
        if (!spec.trim().equalsIgnoreCase(BALANCED)) {
            double[] given = list(spec.trim());
            if (given.length != classes) {
                throw new IllegalArgumentException("classWeights has " + given.length + " weights for " + classes
                        + " classes");
            }
            return given;
        }
        long[] counts = new long[classes];
        long rows = 0;
        for (Row r : train.groupBy(labelCol).count().collectAsList()) {
            if (r.isNullAt(0)) {
                continue; // a missing label is reported where the rows are read
            }
            int k = (int) ((Number) r.get(0)).doubleValue();
            if (k >= 0 && k < classes) {
                counts[k] = r.getLong(1);
                rows += counts[k];
            }
        }
        double[] weights = new double[classes];
        for (int k = 0; k < classes; k++) {
            weights[k] = counts[k] == 0 ? 0.0 : (double) rows / ((double) classes * counts[k]);
        }
        return weights;
    }

    /** {@code base} (the row's own weight) times the weight of the row's class. */
    static Column rowWeight(Column base, Column label, double[] perClass) {
        Column factor = functions.lit(0.0);
        for (int k = perClass.length - 1; k >= 0; k--) {
            factor = functions.when(label.equalTo(k), perClass[k]).otherwise(factor);
        }
        return base.cast("double").multiply(factor);
    }
}
