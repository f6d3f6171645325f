package io.sparkprop.nn;

import java.io.Serializable;

/**
 * The regression metrics of predictions against true values, RMSE, MAE and R^2, from sums that
 * merge: each partition adds its rows, the driver merges the partials (in any grouping) and reads
 * the metrics once. The one place these formulas are written. The true values' spread for R^2 is
 * kept as a mean and a sum of squared deviations (Chan et al.'s merge), so large values with
 * little spread lose no precision.
 */
public final class RegressionErrors implements Serializable {
    private static final long serialVersionUID = 1L;

    private long count;
    private double squaredErrorSum;
    private double absoluteErrorSum;
    private double mean;        // of the true values
    private double squaredDeviationSum; // of the true values about their mean

    /** Adds one row: the model's prediction and the true value. */
    public RegressionErrors add(double predicted, double actual) {
        double err = predicted - actual;
        squaredErrorSum += err * err;
        absoluteErrorSum += Math.abs(err);
        count++;
        double delta = actual - mean;
        mean += delta / count;
        squaredDeviationSum += delta * (actual - mean);
        return this;
    }

    /** Adds another partial's rows into this one. */
    public RegressionErrors merge(RegressionErrors o) {
        if (o.count == 0) {
            return this;
        }
        long n = count + o.count;
        double delta = o.mean - mean;
        squaredDeviationSum += o.squaredDeviationSum + delta * delta * ((double) count * o.count / n);
        mean += delta * o.count / n;
        squaredErrorSum += o.squaredErrorSum;
        absoluteErrorSum += o.absoluteErrorSum;
        count = n;
        return this;
    }

    public long count() {
        return count;
    }

    /** sqrt(mean of (predicted - actual)^2); NaN without rows. */
    public double rmse() {
        return count == 0 ? Double.NaN : Math.sqrt(squaredErrorSum / count);
    }

    /** Mean of |predicted - actual|; NaN without rows. */
    public double mae() {
        return count == 0 ? Double.NaN : absoluteErrorSum / count;
    }

    /** 1 - (sum of squared errors) / (sum of squared deviations of the true values); NaN when they do not vary. */
    public double r2() {
        return squaredDeviationSum > 0 ? 1 - squaredErrorSum / squaredDeviationSum : Double.NaN;
    }
}
