package io.sparkprop.nn;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A per-sample cost C(a, y) on the output layer, and the delta dZ_L it sends back.
 *
 * <p>Conventions (DESIGN.md section 1), per sample, with Y an (n_L x B) block of targets:
 * <ul>
 *   <li>{@link #CROSS_ENTROPY} on softmax: C = -sum_j y_j log a_j, dZ = A - Y (fused);
 *   <li>{@link #BINARY_CROSS_ENTROPY} on sigmoid: C = -sum_j (y_j log a_j + (1-y_j) log(1-a_j)),
 *       summed over independent output units, dZ = A - Y (fused);
 *   <li>{@link #QUADRATIC} on sigmoid or identity: C = sum_j (a_j - y_j)^2, seed 003's cost with
 *       no 1/2, so dZ = 2 (A - Y) .* g'(Z).
 * </ul>
 * The mean over m samples is taken once, on the driver; these methods return sums.
 * Both log losses are computed from Z (log-sum-exp, softplus), so a confident wrong answer
 * costs a large finite amount rather than NaN.
 */
public enum Loss {
    CROSS_ENTROPY("crossEntropy", Activation.SOFTMAX) {
        @Override
        double sum(double[] z, double[] a, int off, double[] y, int yOff, int n, int cols) {
            double total = 0.0;
            for (int c = 0; c < cols; c++) {
                int base = off + c * n;
                int yBase = yOff + c * n;
                double logNorm = Softmax.logSumExp(z, base, n);
                for (int j = 0; j < n; j++) {
                    double yj = y[yBase + j];
                    if (yj != 0.0) {
                        total -= yj * (z[base + j] - logNorm); // y_j log softmax(z)_j
                    }
                }
            }
            return total;
        }
    },
    BINARY_CROSS_ENTROPY("binaryCrossEntropy", Activation.SIGMOID) {
        @Override
        double sum(double[] z, double[] a, int off, double[] y, int yOff, int n, int cols) {
            double total = 0.0;
            int len = n * cols;
            for (int i = 0; i < len; i++) {
                double zi = z[off + i];
                // -(y log s(z) + (1-y) log(1-s(z))) = softplus(z) - y z
                double softplus = Math.max(zi, 0.0) + Math.log1p(Math.exp(-Math.abs(zi)));
                total += softplus - y[yOff + i] * zi;
            }
            return total;
        }
    },
    QUADRATIC("quadratic", Activation.SIGMOID, Activation.IDENTITY) {
        @Override
        double sum(double[] z, double[] a, int off, double[] y, int yOff, int n, int cols) {
            double total = 0.0;
            int len = n * cols;
            for (int i = 0; i < len; i++) {
                double d = a[off + i] - y[yOff + i];
                total += d * d;
            }
            return total;
        }

        @Override
        void deltaInPlace(Activation output, double[] a, int off, double[] y, int yOff, double[] dz, int dOff, int len) {
            for (int i = 0; i < len; i++) {
                dz[dOff + i] = 2.0 * (a[off + i] - y[yOff + i]);
            }
            output.derivativeTimesInPlace(dz, dOff, a, off, len);
        }
    };

    private final String paramName;
    private final Set<Activation> outputs;

    Loss(String paramName, Activation first, Activation... more) {
        this.paramName = paramName;
        this.outputs = EnumSet.of(first, more);
    }

    /** Whether this loss is defined on the given output activation. */
    public boolean fits(Activation output) {
        return outputs.contains(output);
    }

    /** Sum over the cols columns of the per-sample loss; Z and A are n x cols at {@code off}. */
    abstract double sum(double[] z, double[] a, int off, double[] y, int yOff, int n, int cols);

    /**
     * dZ_L for {@code len} consecutive output values. The two log losses fuse with their
     * output unit, so their delta is A - Y whatever g_L is.
     */
    void deltaInPlace(Activation output, double[] a, int off, double[] y, int yOff, double[] dz, int dOff, int len) {
        for (int i = 0; i < len; i++) {
            dz[dOff + i] = a[off + i] - y[yOff + i];
        }
    }

    /**
     * -log p: one sample's log loss from the probability its true class was given; the loss
     * {@link #CROSS_ENTROPY} (and {@link #BINARY_CROSS_ENTROPY} on one unit) computes from Z, here
     * from probabilities, for evaluation. The two agree wherever p > 0 is representable; p = 0
     * (a probability that underflowed) counts as the smallest double, a loss of 744.4, not infinity.
     */
    public static double logLoss(double probability) {
        return -Math.log(Math.max(probability, Double.MIN_VALUE));
    }

    /** The name used in params and configuration files, e.g. {@code crossEntropy}. */
    public String paramName() {
        return paramName;
    }

    /** Parses a param value such as {@code crossEntropy}, naming the accepted values when it does not fit. */
    public static Loss fromParam(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (Loss l : values()) {
            if (l.paramName.toLowerCase(Locale.ROOT).equals(key)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name
                + "'; expected one of crossEntropy, binaryCrossEntropy, quadratic");
    }
}
