package io.sparkprop.nn;

import java.util.Locale;

/**
 * A unit's nonlinearity g, applied column by column to an (n x B) block stored column-major.
 *
 * <p>Forward overwrites Z with A = g(Z). Backward turns dA into dZ = dA .* g'(Z), reading
 * g' from A alone (sigmoid: a(1-a); tanh: 1-a^2; ReLU: 1[a>0], since relu(z) > 0 iff z > 0),
 * which is why hidden layers need not keep Z. Softmax couples a column's units, so its
 * backward is only ever taken fused with cross-entropy (see {@link Loss}).
 */
public enum Activation {
    SIGMOID {
        @Override
        void forwardInPlace(double[] z, int off, int n, int cols) {
            SigmoidKernel.applyInPlace(z, off, off + n * cols);
        }

        @Override
        void derivativeTimesInPlace(double[] delta, int dOff, double[] a, int aOff, int len) {
            for (int i = 0; i < len; i++) {
                double ai = a[aOff + i];
                delta[dOff + i] *= ai * (1.0 - ai);
            }
        }
    },
    TANH {
        @Override
        void forwardInPlace(double[] z, int off, int n, int cols) {
            for (int i = off, end = off + n * cols; i < end; i++) {
                z[i] = Math.tanh(z[i]);
            }
        }

        @Override
        void derivativeTimesInPlace(double[] delta, int dOff, double[] a, int aOff, int len) {
            for (int i = 0; i < len; i++) {
                double ai = a[aOff + i];
                delta[dOff + i] *= 1.0 - ai * ai;
            }
        }
    },
    RELU {
        // Branch-free forms: about half the units are off, at random, so a branch mispredicts
        // constantly; Math.max, ceil and min compile to vector instructions (~20x faster here).
        @Override
        void forwardInPlace(double[] z, int off, int n, int cols) {
            for (int i = off, end = off + n * cols; i < end; i++) {
                z[i] = Math.max(z[i], 0.0);
            }
        }

        /** a = max(z, 0) >= 0, so ceil(min(a, 1)) is g'(z): 1 where the unit is on, 0 where it is off. */
        @Override
        void derivativeTimesInPlace(double[] delta, int dOff, double[] a, int aOff, int len) {
            for (int i = 0; i < len; i++) {
                delta[dOff + i] *= Math.ceil(Math.min(a[aOff + i], 1.0));
            }
        }
    },
    IDENTITY {
        @Override
        void forwardInPlace(double[] z, int off, int n, int cols) {
            // A = Z
        }

        @Override
        void derivativeTimesInPlace(double[] delta, int dOff, double[] a, int aOff, int len) {
            // g' = 1
        }
    },
    SOFTMAX {
        @Override
        void forwardInPlace(double[] z, int off, int n, int cols) {
            for (int c = 0; c < cols; c++) {
                Softmax.inPlace(z, off + c * n, n);
            }
        }

        @Override
        void derivativeTimesInPlace(double[] delta, int dOff, double[] a, int aOff, int len) {
            throw new UnsupportedOperationException(
                    "softmax has no element-wise derivative; it is only used fused with crossEntropy");
        }
    };

    /** Overwrites the n x cols block Z at {@code off} with g(Z). */
    abstract void forwardInPlace(double[] z, int off, int n, int cols);

    /** delta[i] *= g'(z_i), with g' read from a_i = g(z_i); {@code len} consecutive values. */
    abstract void derivativeTimesInPlace(double[] delta, int dOff, double[] a, int aOff, int len);

    /** {@link #forwardInPlace} on floats, for the hidden layers of float32 training: {@code len} values. */
    void forwardInPlace(float[] z, int off, int len) {
        switch (this) {
            case SIGMOID -> SigmoidKernel.applyInPlace(z, off, off + len);
            case TANH -> {
                for (int i = off, end = off + len; i < end; i++) {
                    z[i] = (float) Math.tanh(z[i]);
                }
            }
            case RELU -> {
                for (int i = off, end = off + len; i < end; i++) {
                    z[i] = Math.max(z[i], 0f);
                }
            }
            case IDENTITY -> {
                // A = Z
            }
            default -> throw new UnsupportedOperationException(this + " is not a hidden layer's unit");
        }
    }

    /** {@link #derivativeTimesInPlace} on floats: delta[i] *= g'(z_i), g' read from a_i, {@code len} values from 0. */
    void derivativeTimesInPlace(float[] delta, float[] a, int len) {
        switch (this) {
            case SIGMOID -> {
                for (int i = 0; i < len; i++) {
                    delta[i] *= a[i] * (1f - a[i]);
                }
            }
            case TANH -> {
                for (int i = 0; i < len; i++) {
                    delta[i] *= 1f - a[i] * a[i];
                }
            }
            case RELU -> {
                // g'(z) = signum(a), as a = max(z, 0) >= 0: 1 where the unit is on, 0 where it is off.
                // Math.signum(float) branches on JDK 17 (half the units are off, at random, so it
                // mispredicts) and does not vectorise; min(a 2^149, 1) is the same value for every
                // a >= 0 and NaN (2^149 takes the least subnormal to 1; two exact power-of-two
                // factors, as 2^149 is no float) in vector instructions: about 20x faster here.
                for (int i = 0; i < len; i++) {
                    delta[i] *= Math.min(a[i] * 0x1p127f * 0x1p22f, 1f);
                }
            }
            case IDENTITY -> {
                // g' = 1
            }
            default -> throw new UnsupportedOperationException(this + " is not a hidden layer's unit");
        }
    }

    /** Whether this may be a hidden layer's activation. */
    public boolean isHidden() {
        return this == SIGMOID || this == TANH || this == RELU;
    }

    /** The lower-case name used in params and configuration files. */
    public String paramName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a param value such as {@code relu}, naming the accepted values when it does not fit. */
    public static Activation fromParam(String name) {
        for (Activation a : values()) {
            if (a.paramName().equalsIgnoreCase(name.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name
                + "'; expected one of sigmoid, relu, tanh, identity, softmax");
    }

    /** The logistic function 1 / (1 + exp(-z)), the one scalar definition (training, models, evaluation). */
    public static double sigmoid(double z) {
        return SigmoidKernel.sigmoid(z); // the same bits as the SIMD lanes; see there
    }
}
