package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** The SIMD sigmoid against the scalar one it replaces. */
class SigmoidKernelTest {

    @Test
    void testsRunTheVectorPath() {
        assertTrue(SigmoidKernel.VECTORIZED, "surefire's argLine adds jdk.incubator.vector; without it this suite"
                + " would only ever check the scalar loop");
    }

    @Test
    void vectorAndScalarAgreeToAFewUlpsIncludingTheExtremes() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 1000 + 3; // not a multiple of any vector length: the scalar tail runs too
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = random.nextDouble(-40, 40);
        }
        double[] special = {0.0, -0.0, 800, -800, 709.5, -709.5, 1e-300, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY};
        System.arraycopy(special, 0, z, 17, special.length);
        double[] scalar = z.clone();
        double[] vector = z.clone();

        SigmoidKernel.scalarInPlace(scalar, 0, n);
        VectorSigmoid.applyInPlace(vector, 0, n);

        assertAgreeToAFewUlps(z, vector, scalar, Math::ulp);
    }

    @Test
    void floatVectorAndScalarAgreeToAFewUlpsIncludingTheExtremes() {
        SplittableRandom random = new SplittableRandom(8);
        int n = 1000 + 5;
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = (float) random.nextDouble(-40, 40);
        }
        float[] special = {0f, -0f, 800f, -800f, 88.5f, -88.5f, 1e-30f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN};
        System.arraycopy(special, 0, z, 17, special.length);
        float[] scalar = z.clone();
        float[] vector = z.clone();

        SigmoidKernel.scalarInPlace(scalar, 0, n);
        VectorSigmoid.applyInPlace(vector, 0, n);

        assertAgreeToAFewUlps(widen(z), widen(vector), widen(scalar), v -> Math.ulp((float) v));
    }

    /**
     * At most 4 ulps (of the precision computed in) apart everywhere, NaN kept, and the specials
     * that start at index 17 exact: sigmoid(0) = 0.5, and 1 or 0 far out and at the infinities.
     */
    private static void assertAgreeToAFewUlps(double[] z, double[] vector, double[] scalar, DoubleUnaryOperator ulp) {
        for (int i = 0; i < z.length; i++) {
            if (Double.isNaN(z[i])) {
                assertTrue(Double.isNaN(vector[i]), "NaN stays NaN");
                continue;
            }
            double ulps = Math.abs(vector[i] - scalar[i]) / ulp.applyAsDouble(scalar[i]);
            assertTrue(ulps <= 4, "z = " + z[i] + ": " + vector[i] + " vs " + scalar[i]);
        }
        assertEquals(0.5, vector[17]);
        assertEquals(1.0, vector[19]);
        assertEquals(0.0, vector[20]);
        assertEquals(1.0, vector[24]);
        assertEquals(0.0, vector[25]);
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @Test
    void leavesValuesOutsideTheRangeAlone() {
        double[] z = {3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3};
        VectorSigmoid.applyInPlace(z, 2, 11);
        assertEquals(3.0, z[0]);
        assertEquals(3.0, z[1]);
        assertEquals(3.0, z[11]);
        assertEquals(Activation.sigmoid(3), z[2], Math.ulp(1.0) * 4);
    }

    @Test
    void notANumberStaysVisible() {
        double[] z = new double[16];
        z[5] = Double.NaN;
        VectorSigmoid.applyInPlace(z, 0, 16);
        assertTrue(Double.isNaN(z[5]));
        assertEquals(0.5, z[4]);
    }
}
