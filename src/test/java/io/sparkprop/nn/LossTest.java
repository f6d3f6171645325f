package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LossTest {

    @Test
    void aConfidentWrongAnswerCostsALargeFiniteAmount() {
        double[] z = {800, -800};
        double[] a = z.clone();
        Activation.SOFTMAX.forwardInPlace(a, 0, 2, 1);
        double ce = Loss.CROSS_ENTROPY.sum(z, a, 0, new double[] {0, 1}, 0, 2, 1);
        assertEquals(1600, ce, 1e-9);

        double[] z1 = {-900};
        double[] a1 = z1.clone();
        Activation.SIGMOID.forwardInPlace(a1, 0, 1, 1);
        double bce = Loss.BINARY_CROSS_ENTROPY.sum(z1, a1, 0, new double[] {1}, 0, 1, 1);
        assertEquals(900, bce, 1e-9);
    }

    @Test
    void quadraticHasNoHalfAsInSeed003() {
        double[] a = {0.5, 2.0};
        double[] y = {0.0, 1.0};
        assertEquals(0.25 + 1.0, Loss.QUADRATIC.sum(a, a, 0, y, 0, 2, 1), 1e-15);
        double[] dz = new double[2];
        Loss.QUADRATIC.deltaInPlace(Activation.IDENTITY, a, 0, y, 0, dz, 0, 2);
        assertEquals(1.0, dz[0]);
        assertEquals(2.0, dz[1]);
    }

    @Test
    void softmaxOfHugeScoresIsFinite() {
        double[] z = {1e308, 1e308, -1e308};
        Activation.SOFTMAX.forwardInPlace(z, 0, 3, 1);
        assertEquals(0.5, z[0], 1e-15);
        assertTrue(z[2] == 0.0);
    }
}
