package io.sparkprop.data;

import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import java.io.Serializable;

/**
 * Turns a label into the target column Y the output layer is trained against: a one-hot
 * vector of K classes (softmax, or quadratic on K sigmoids), a single 0/1 value (one sigmoid
 * for two classes), or the value itself for a regression, optionally standardised as
 * (y - mean) / std so that an identity output starts near its targets.
 */
public final class TargetEncoder implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int width;
    private final int classes;     // 0 for a regression
    private final double mean;     // regression target shift
    private final double scale;    // regression target scale

    private TargetEncoder(int width, int classes, double mean, double scale) {
        this.width = width;
        this.classes = classes;
        this.mean = mean;
        this.scale = scale;
    }

    /** For K classes labelled 0..K-1; one output when K = 2 and binary cross-entropy, else K. */
    public static TargetEncoder classes(int k, Loss loss) {
        if (k < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + k);
        }
        return new TargetEncoder(loss == Loss.BINARY_CROSS_ENTROPY && k == 2 ? 1 : k, k, 0, 1);
    }

    /** For a regression on one value, with targets taken as (y - mean) / scale. */
    public static TargetEncoder regression(double mean, double scale) {
        if (!Double.isFinite(mean) || !(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("target scaling needs a finite mean and a scale > 0, got "
                    + mean + ", " + scale);
        }
        return new TargetEncoder(1, 0, mean, scale);
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

    public double targetMean() {
        return mean;
    }

    public double targetScale() {
        return scale;
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
            y[off] = (label - mean) / scale;
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

    /** The label back from a raw output column of A_L: arg max, a 0.5 threshold, or the unscaled value. */
    public double decode(double[] a, int off) {
        if (!isClassification()) {
            return a[off] * scale + mean;
        }
        if (width == 1) {
            return a[off] >= 0.5 ? 1.0 : 0.0;
        }
        int best = 0;
        for (int j = 1; j < width; j++) {
            if (a[off + j] > a[off + best]) {
                best = j;
            }
        }
        return best;
    }
}
