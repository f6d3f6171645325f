package io.sparkprop.nn;

/**
 * The logistic function, the costliest element-wise step of a sigmoid network (one exp per hidden
 * unit and sample), and the one place it is defined: {@link Activation#sigmoid}, the scalar loop
 * and {@link VectorSigmoid}'s SIMD lanes all compute it here, step for step.
 *
 * <p>Its exp is built from IEEE operations that are exactly rounded (add, subtract, multiply,
 * divide, and moving bits into an exponent), never from a library exp. That is what makes a
 * sigmoid network bitwise reproducible: the Vector API's EXP is one routine before C2 compiles
 * the loop and another (SVML) after, and the two differ in the last bit for about 2% of inputs
 * (86 of 4,096 doubles, 15 of 4,096 floats here), so the same model gave different predictions
 * early and late in one JVM. Here the scalar loop, the SIMD lanes, interpreted and compiled code,
 * and a driver without the vector module all give the same bits.
 *
 * <p>exp(x) for x = -|z| <= 0 (so it never overflows): x = k ln2 + r with k = round(x / ln2) and
 * |r| <= ln2 / 2 (Cody and Waite: ln2 in two parts, the first with enough trailing zero bits that
 * k times it is exact); exp(r) by its Taylor polynomial, whose first dropped term is under half an
 * ulp on that interval (degree 13 in double, 7 in float); then times 2^k, in two halves so that
 * each factor is a normal number and a subnormal result is rounded once. Against a sigmoid built
 * on StrictMath.exp the results are within 2 ulps (double) and 2.3 ulps (float) in a sweep of
 * 2 million points over [-50, 50]. The SIMD lanes cost more than the Vector API's EXP did here
 * (2.6 against 1.0 ns a value in double, 1.2 against 0.4 in float), a small share of a step,
 * which is matrix products; the scalar loop, 10.6 ns against Math.exp's 7.
 */
final class SigmoidKernel {
    /** Whether the Vector API was resolved at start-up; both paths give the same bits, so this is speed only. */
    static final boolean VECTORIZED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    static final double LOG2_E = 1.4426950408889634;
    /** ln2 = LN2_HI + LN2_LO; LN2_HI has 21 trailing zero bits, so k * LN2_HI is exact for |k| < 2^21. */
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    /** Adding 1.5 * 2^52 rounds to an integer (ties to even), which then sits in the low bits. */
    static final double ROUNDER = 0x1.8p52;
    static final long ROUNDER_BITS = Double.doubleToRawLongBits(ROUNDER);
    /** exp(-746) is under half the smallest subnormal: from here on the result is 0, and k stays small. */
    static final double LOWEST = -746.0;
    /** 1/n!: named constants, not an array, whose loads C2 left in the SIMD loop (3.5 instead of 2.6 ns a value). */
    static final double C2 = 0.5;
    static final double C3 = 1.0 / 6.0;
    static final double C4 = 1.0 / 24.0;
    static final double C5 = 1.0 / 120.0;
    static final double C6 = 1.0 / 720.0;
    static final double C7 = 1.0 / 5040.0;
    static final double C8 = 1.0 / 40320.0;
    static final double C9 = 1.0 / 362880.0;
    static final double C10 = 1.0 / 3628800.0;
    static final double C11 = 1.0 / 39916800.0;
    static final double C12 = 1.0 / 479001600.0;
    static final double C13 = 1.0 / 6227020800.0;

    static final float LOG2_E_F = 1.44269504f;
    /** LN2_HI_F has 9 trailing zero bits of 23, so k * LN2_HI_F is exact for the |k| <= 150 used here. */
    static final float LN2_HI_F = 0.693145751953125f;
    static final float LN2_LO_F = 1.428606765330187045e-06f;
    static final float ROUNDER_F = 0x1.8p23f;
    static final int ROUNDER_F_BITS = Float.floatToRawIntBits(ROUNDER_F);
    /** exp(-104) is under half the smallest float subnormal. */
    static final float LOWEST_F = -104f;
    static final float C2_F = 0.5f;
    static final float C3_F = 1f / 6f;
    static final float C4_F = 1f / 24f;
    static final float C5_F = 1f / 120f;
    static final float C6_F = 1f / 720f;
    static final float C7_F = 1f / 5040f;

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
            z[i] = sigmoid(z[i]);
        }
    }

    static void scalarInPlace(double[] z, int from, int to) {
        for (int i = from; i < to; i++) {
            z[i] = sigmoid(z[i]);
        }
    }

    /** 1 / (1 + exp(-z)), as e / (1 + e) with e = exp(z) for negative z so that exp never overflows. */
    static double sigmoid(double z) {
        double e = expOfNonPositive(Math.max(-Math.abs(z), LOWEST)); // NaN stays NaN through max
        return (z < 0 ? e : 1.0) / (1.0 + e);
    }

    static float sigmoid(float z) {
        float e = expOfNonPositive(Math.max(-Math.abs(z), LOWEST_F));
        return (z < 0 ? e : 1f) / (1f + e);
    }

    /** exp(x) for LOWEST <= x <= 0; VectorSigmoid's lanes take the same steps. */
    private static double expOfNonPositive(double x) {
        double t = x * LOG2_E + ROUNDER;
        double k = t - ROUNDER;
        double r = (x - k * LN2_HI) - k * LN2_LO;
        double p = ((((((((((((C13 * r + C12) * r + C11) * r + C10) * r + C9) * r + C8) * r + C7) * r + C6) * r
                + C5) * r + C4) * r + C3) * r + C2) * r + 1.0) * r + 1.0;
        long kBits = Double.doubleToRawLongBits(t) - ROUNDER_BITS; // k as a long: -1077 <= k <= 0
        long half = kBits >> 1;
        return p * Double.longBitsToDouble((half + 1023) << 52) * Double.longBitsToDouble((kBits - half + 1023) << 52);
    }

    private static float expOfNonPositive(float x) {
        float t = x * LOG2_E_F + ROUNDER_F;
        float k = t - ROUNDER_F;
        float r = (x - k * LN2_HI_F) - k * LN2_LO_F;
        float p = ((((((C7_F * r + C6_F) * r + C5_F) * r + C4_F) * r + C3_F) * r + C2_F) * r + 1f) * r + 1f;
        int kBits = Float.floatToRawIntBits(t) - ROUNDER_F_BITS; // -150 <= k <= 0
        int half = kBits >> 1;
        return p * Float.intBitsToFloat((half + 127) << 23) * Float.intBitsToFloat((kBits - half + 127) << 23);
    }
}
