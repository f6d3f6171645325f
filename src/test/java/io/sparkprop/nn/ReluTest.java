package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
    void notANumberStaysVisibleForDivergenceChecks() {
        double[] z = {Double.NaN};
        Activation.RELU.forwardInPlace(z, 0, 1, 1);
        assertTrue(Double.isNaN(z[0]), "NaN must not be hidden as 0");
    }
}
