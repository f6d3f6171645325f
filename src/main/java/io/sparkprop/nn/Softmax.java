package io.sparkprop.nn;

/**
 * softmax(z)_j = exp(z_j) / sum_i exp(z_i) over one column of n scores, and its log-normaliser
 * log sum_i exp(z_i): the one place both are written. The column max is subtracted before exp(),
 * so large scores never overflow and a confident wrong answer gives a large finite loss, not NaN.
 */
public final class Softmax {
    private Softmax() {
    }

    /** Overwrites z[off .. off+n) with softmax(z). */
    public static void inPlace(double[] z, int off, int n) {
        double max = max(z, off, n);
        double sum = 0.0;
        for (int j = off, end = off + n; j < end; j++) {
            double e = Math.exp(z[j] - max);
            z[j] = e;
            sum += e;
        }
        double inv = 1.0 / sum;
        for (int j = off, end = off + n; j < end; j++) {
            z[j] *= inv;
        }
    }

    /** log sum_j exp(z_j) over z[off .. off+n), so that log softmax(z)_j = z_j - logSumExp(z). */
    public static double logSumExp(double[] z, int off, int n) {
        double max = max(z, off, n);
        double sumExp = 0.0;
        for (int j = off, end = off + n; j < end; j++) {
            sumExp += Math.exp(z[j] - max);
        }
        return max + Math.log(sumExp);
    }

    private static double max(double[] z, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = off, end = off + n; j < end; j++) {
            max = Math.max(max, z[j]);
        }
        return max;
    }
}
