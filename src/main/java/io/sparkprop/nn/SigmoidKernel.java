package io.sparkprop.nn;

/**
 * The logistic function over a range of an array, the costliest element-wise step of a sigmoid
 * network (one exp per hidden unit and sample). Where the JVM runs with
 * {@code --add-modules jdk.incubator.vector} it uses the Vector API, whose exp is a SIMD routine
 * (about 3x the scalar loop here); otherwise the scalar loop. Both agree to a few ulps.
 */
final class SigmoidKernel {
    /** Whether the Vector API was resolved at start-up; read once, so one JVM never mixes the two paths. */
    static final boolean VECTORIZED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private SigmoidKernel() {
    }

    /** z[i] = 1 / (1 + exp(-z[i])) for from <= i < to. */
    static void applyInPlace(double[] z, int from, int to) {
        if (VECTORIZED) {
            VectorSigmoid.applyInPlace(z, from, to); // loaded only on this branch, so only when the module is there
        } else {
            scalarInPlace(z, from, to);
        }
    }

    /** The same on floats (float32 training's hidden layers). */
    static void applyInPlace(float[] z, int from, int to) {
        if (VECTORIZED) {
            VectorSigmoid.applyInPlace(z, from, to);
        } else {
            scalarInPlace(z, from, to);
        }
    }

    static void scalarInPlace(float[] z, int from, int to) {
        for (int i = from; i < to; i++) {
            z[i] = (float) Activation.sigmoid(z[i]);
        }
    }

    static void scalarInPlace(double[] z, int from, int to) {
        for (int i = from; i < to; i++) {
            z[i] = Activation.sigmoid(z[i]);
        }
    }
}
