package io.sparkprop.data;

import io.sparkprop.nn.Activation;
import io.sparkprop.nn.ArgMax;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import java.io.Serializable;

/**
 * Turns a label into the target column Y the output layer is trained against: a one-hot
 * vector of K classes (softmax, or quadratic on K sigmoids), a single 0/1 value (one sigmoid
 * for two classes), or the value(s) themselves for a regression on one or more outputs,
 * optionally standardised per output as (y - mean) / std so that identity outputs start near
 * their targets.
 */
public final class TargetEncoder implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int width;
    private final int classes;     // 0 for a regression
    private final double[] means;  // regression target shift, per output
    private final double[] scales; // regression target scale, per output

    private TargetEncoder(int width, int classes, double[] means, double[] scales) {
        this.width = width;
        this.classes = classes;
        this.means = means;
        this.scales = scales;
    }

    /** For K classes labelled 0..K-1; one output when K = 2 and binary cross-entropy, else K. */
    public static TargetEncoder classes(int k, Loss loss) {
        if (k < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + k);
        }
        return new TargetEncoder(loss == Loss.BINARY_CROSS_ENTROPY && k == 2 ? 1 : k, k, null, null);
    }

    /** For a regression on one value, with targets taken as (y - mean) / scale. */
    public static TargetEncoder regression(double mean, double scale) {
        return regression(new double[] {mean}, new double[] {scale});
    }

    /** For a regression on means.length values, output j taken as (y_j - means[j]) / scales[j]. */
    public static TargetEncoder regression(double[] means, double[] scales) {
        if (means.length == 0 || means.length != scales.length) {
            throw new IllegalArgumentException("target scaling needs one mean and one scale per output, got "
                    + means.length + " and " + scales.length);
        }
        for (int j = 0; j < means.length; j++) {
            if (!Double.isFinite(means[j]) || !(scales[j] > 0) || Double.isInfinite(scales[j])) {
                throw new IllegalArgumentException("target scaling needs a finite mean and a scale > 0, got "
                        + means[j] + ", " + scales[j] + " for output " + j);
            }
        }
        return new TargetEncoder(means.length, 0, means.clone(), scales.clone());
    }

    /** n_L, the output width this encoding needs. */
    public int width() {
        return width;
    }

    public int classCount() {
        return classes;
    }

    public boolean isClassification() {
        return classes > 0;
    }

    /** Per-output shift of a regression's targets (empty for classes). */
    public double[] targetMeans() {
        return means == null ? new double[0] : means.clone();
    }

    /** Per-output scale of a regression's targets (empty for classes). */
    public double[] targetScales() {
        return scales == null ? new double[0] : scales.clone();
    }

    /**
     * The factor that turns an RMSE over scaled targets back into the labels' units: the scale
     * itself for one output, the root mean square of the scales for several (exact when they
     * are equal); 1 for classes.
     */
    public double rmseScale() {
        if (scales == null) {
            return 1.0;
        }
        double sum = 0;
        for (double s : scales) {
            sum += s * s;
        }
        return Math.sqrt(sum / scales.length);
    }

    /** Whether the network's output layer fits this encoding. */
    public void checkFits(Topology t) {
        if (t.outputWidth() != width) {
            throw new IllegalArgumentException("network has " + t.outputWidth() + " outputs but the targets need "
                    + width);
        }
        if (isClassification() == (t.outputActivation() == Activation.IDENTITY)) {
            throw new IllegalArgumentException("output unit " + t.outputActivation().paramName() + " does not fit a "
                    + (isClassification() ? "classification" : "regression"));
        }
    }

    /**
     * Writes the target column for {@code label} at y[off .. off+width).
     *
     * @throws IllegalArgumentException naming the label when it is not finite, or not a class index
     */
    public void encode(double label, double[] y, int off) {
        if (!Double.isFinite(label)) {
            throw new IllegalArgumentException("label is " + label);
        }
        if (!isClassification()) {
            if (width != 1) {
                throw new IllegalArgumentException("a single label for " + width + " regression outputs");
            }
            y[off] = (label - means[0]) / scales[0];
            return;
        }
        if (label < 0 || label >= classes || label != Math.rint(label)) {
            throw new IllegalArgumentException("label " + label + " is not a class index in 0.." + (classes - 1));
        }
        int k = (int) label;
        if (width == 1) {
            y[off] = k;
            return;
        }
        for (int j = 0; j < width; j++) {
            y[off + j] = 0.0;
        }
        y[off + k] = 1.0;
    }

    /** Writes a vector label (one value per regression output) as the target column. */
    public void encode(org.apache.spark.ml.linalg.Vector label, double[] y, int off) {
        if (isClassification()) {
            throw new IllegalArgumentException("a vector label for a classification");
        }
        if (label.size() != width) {
            throw new IllegalArgumentException("label has " + label.size() + " values, expected " + width);
        }
        for (int j = 0; j < width; j++) {
            double v = label.apply(j);
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("label value " + j + " is " + v);
            }
            y[off + j] = (v - means[j]) / scales[j];
        }
    }

    /** A regression's outputs back in the labels' units, from a column of A_L. */
    public double[] decodeValues(double[] a, int off) {
        double[] out = new double[width];
        for (int j = 0; j < width; j++) {
            out[j] = a[off + j] * scales[j] + means[j];
        }
        return out;
    }

    /** The label back from a raw output column of A_L: arg max, a 0.5 threshold, or the unscaled value. */
    public double decode(double[] a, int off) {
        if (!isClassification()) {
            return a[off] * scales[0] + means[0];
        }
        if (width == 1) {
            return a[off] >= 0.5 ? 1.0 : 0.0;
        }
        return ArgMax.of(a, off, width);
    }
}
