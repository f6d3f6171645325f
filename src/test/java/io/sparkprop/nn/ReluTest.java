package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** ReLU's branch-free forms against the definition: g(z) = max(z, 0), g'(z) = 1 for z > 0, else 0. */
class ReluTest {

    @Test
    void forwardClampsAtZeroAndKeepsPositives() {
        double[] z = {-3.0, -0.0, 0.0, Double.MIN_VALUE, 2.5, -1e-300, 7e300};
        Activation.RELU.forwardInPlace(z, 0, z.length, 1);
        assertArrayEquals(new double[] {0.0, 0.0, 0.0, Double.MIN_VALUE, 2.5, 0.0, 7e300}, z);
    }

    @Test
    void derivativePassesDeltaOnlyWhereTheUnitIsOn() {
        double[] a = {0.0, Double.MIN_VALUE, 0.3, 1.0, 5e10, 0.0};
        double[] delta = {4.0, -2.0, 1.5, -0.25, 3.0, -7.0};
        Activation.RELU.derivativeTimesInPlace(delta, 0, a, 0, a.length);
        assertArrayEquals(new double[] {0.0, -2.0, 1.5, -0.25, 3.0, -0.0}, delta);
    }

    @Test
    void floatDerivativeIsSignumOfTheActivationBitForBit() {
        // Every a >= 0 a float unit can hold, the edges of the power-of-two factors among them,
        // and NaN: the vectorised form must give exactly delta * signum(a), signed zeros included.
        float[] a = {0f, Float.MIN_VALUE, 2 * Float.MIN_VALUE, 0x1p-127f, Float.MIN_NORMAL, 0x1p-22f, 0.3f, 1f,
            1.5f, 2f, 0x1p100f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN, 0f};
        float[] delta = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            delta[i] = (i % 2 == 0 ? -1 : 1) * (0.75f + i);
        }
        float[] expected = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            expected[i] = delta[i] * Math.signum(a[i]);
        }
        Activation.RELU.derivativeTimesInPlace(delta, a, a.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(delta[i]),
                    "a = " + a[i] + ": " + delta[i] + " against " + expected[i]);
        }
        assertEquals(0x80000000, Float.floatToRawIntBits(delta[14]), "an off unit keeps the sign of a negative delta");
    }

    @Test
    void notANumberStaysVisibleForDivergenceChecks() {
        double[] z = {Double.NaN};
        Activation.RELU.forwardInPlace(z, 0, 1, 1);
        assertTrue(Double.isNaN(z[0]), "NaN must not be hidden as 0");
    }
}
