package io.sparkprop.data;

import java.io.Serializable;

/**
 * Per-feature (x - mean) / std. A feature whose std is 0 is only centred: dividing by 0 would
 * turn a constant column into NaN.
 */
public final class Standardizer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double[] mean;
    private final double[] invStd;

    public Standardizer(double[] mean, double[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("mean has " + mean.length + " values, std " + std.length);
        }
        this.mean = mean.clone();
        this.invStd = new double[std.length];
        for (int i = 0; i < std.length; i++) {
            if (!Double.isFinite(mean[i]) || !Double.isFinite(std[i]) || std[i] < 0) {
                throw new IllegalArgumentException("feature " + i + " has mean " + mean[i] + " and std " + std[i]);
            }
            invStd[i] = std[i] > 0 ? 1.0 / std[i] : 1.0;
        }
    }

    /** Mean and (sample, n - 1) standard deviation of each column of rows. */
    public static Standardizer fit(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("cannot standardise zero rows");
        }
        int n = rows[0].length;
        double[] mean = new double[n];
        double[] m2 = new double[n];
        long count = 0;
        for (double[] row : rows) {
            count++;
            for (int j = 0; j < n; j++) {
                double d = row[j] - mean[j]; // Welford: stable for large offsets
                mean[j] += d / count;
                m2[j] += d * (row[j] - mean[j]);
            }
        }
        double[] std = new double[n];
        for (int j = 0; j < n; j++) {
            std[j] = count > 1 ? Math.sqrt(m2[j] / (count - 1)) : 0.0;
        }
        return new Standardizer(mean, std);
    }

    public int width() {
        return mean.length;
    }

    public double[] mean() {
        return mean.clone();
    }

    /** The std used (1 where the feature was constant). */
    public double[] std() {
        double[] std = new double[invStd.length];
        for (int i = 0; i < std.length; i++) {
            std[i] = 1.0 / invStd[i];
        }
        return std;
    }

    /** out[outOff + j] = (in[j] - mean_j) / std_j for every feature j. */
    public void apply(double[] in, double[] out, int outOff) {
        for (int j = 0; j < mean.length; j++) {
            out[outOff + j] = (in[j] - mean[j]) * invStd[j];
        }
    }
}
