package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Seed 002 worked by hand on a 2-3-2 network (ReLU hidden, softmax + cross-entropy) and two
 * samples, m = 2. Each intermediate is written out from the seed's formulas; only the softmax
 * needs exp(), so the expected values are closed-form expressions of p1 and q2 below.
 */
class HandWorkedExampleTest {
    static final double EPS = 1e-12;

    // X, samples as columns: x1 = (1, 2), x2 = (-1, 0.5); labels 1 and 0.
    final double[] x = {1, 2, -1, 0.5};
    final double[] y = {0, 1, 1, 0};
    // W1 = [[0.1, -0.2], [0.4, 0.3], [-0.5, 0.6]], b1 = (0.1, -0.1, 0.2)
    // W2 = [[0.3, -0.1, 0.2], [-0.4, 0.5, 0.1]],   b2 = (0.05, -0.05)
    // Flat layout: W1 column-major, b1, W2 column-major, b2.
    final double[] w = {
        0.1, 0.4, -0.5, -0.2, 0.3, 0.6,   0.1, -0.1, 0.2,
        0.3, -0.4, -0.1, 0.5, 0.2, 0.1,   0.05, -0.05};

    // Z1 = W1 X + b1:   col 1 = (-0.2, 0.9, 0.9)      col 2 = (-0.1, -0.35, 1.0)
    // A1 = relu(Z1):    col 1 = (0, 0.9, 0.9)         col 2 = (0, 0, 1.0)
    // Z2 = W2 A1 + b2:  col 1 = (0.14, 0.49)          col 2 = (0.25, 0.05)
    // A2 = softmax(Z2): col 1 = (p1, 1 - p1)          col 2 = (1 - q2, q2)
    final double p1 = 1 / (1 + Math.exp(0.35));
    final double q2 = 1 / (1 + Math.exp(0.2));

    @Test
    void forwardGivesTheSoftmaxOfZ2() {
        Topology t = new Topology(new int[] {2, 3, 2}, Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        double[] a2 = new Backprop(t, 2).forward(w, x, 0, 2);
        assertArrayEquals(new double[] {p1, 1 - p1, 1 - q2, q2}, java.util.Arrays.copyOf(a2, 4), EPS);
    }

    @Test
    void backwardGivesTheSeedsGradients() {
        Topology t = new Topology(new int[] {2, 3, 2}, Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        GradientSum sum = new GradientSum(t.parameterCount());
        new Backprop(t, 2).accumulate(w, x, 0, y, 0, 2, sum);

        // dZ2 = A2 - Y:            col 1 = (p1, -p1)        col 2 = (-q2, q2)
        // dW2 = (1/m) dZ2 A1^T:    row 1 = ½(0, 0.9 p1, 0.9 p1 - q2); row 2 = its negative
        // db2 = (1/m) sum dZ2:     ½(p1 - q2, q2 - p1)
        // dZ1 = W2^T dZ2 .* 1[Z1 > 0]:
        //   W2^T dZ2 col 1 = (0.7 p1, -0.6 p1, 0.1 p1), mask (0,1,1) -> (0, -0.6 p1, 0.1 p1)
        //   W2^T dZ2 col 2 = (-0.7 q2, 0.6 q2, -0.1 q2), mask (0,0,1) -> (0, 0, -0.1 q2)
        // dW1 = (1/m) dZ1 X^T:     row 1 = 0; row 2 = (-0.3 p1, -0.6 p1);
        //                          row 3 = (0.05 p1 + 0.05 q2, 0.1 p1 - 0.025 q2)
        // db1 = (1/m) sum dZ1:     (0, -0.3 p1, 0.05 p1 - 0.05 q2)
        double[] dW1 = {0, -0.3 * p1, 0.05 * p1 + 0.05 * q2, 0, -0.6 * p1, 0.1 * p1 - 0.025 * q2};
        double[] db1 = {0, -0.3 * p1, 0.05 * p1 - 0.05 * q2};
        double[] dW2 = {0, 0, 0.45 * p1, -0.45 * p1, 0.5 * (0.9 * p1 - q2), -0.5 * (0.9 * p1 - q2)};
        double[] db2 = {0.5 * (p1 - q2), 0.5 * (q2 - p1)};
        double[] expected = concat(dW1, db1, dW2, db2);

        assertEquals(2, sum.count());
        assertEquals(0.5 * (-Math.log(1 - p1) - Math.log(1 - q2)), sum.meanLoss(), EPS);
        assertArrayEquals(expected, sum.meanGradientInPlace(), EPS);
    }

    @Test
    void gradientDescentStepIsWMinusAlphaDw() {
        Topology t = new Topology(new int[] {2, 3, 2}, Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        GradientSum sum = new GradientSum(t.parameterCount());
        new Backprop(t, 2).accumulate(w, x, 0, y, 0, 2, sum);
        double[] updated = w.clone();
        new io.sparkprop.optim.GradientDescent().stepInPlace(updated, sum.meanGradientInPlace(), 0.5);

        // W <- W - 0.5 dW, each weight worked out from the gradients above (alpha = 0.5):
        // W1 = [[0.1, -0.2], [0.4 + 0.15 p1, 0.3 + 0.3 p1],
        //       [-0.5 - 0.025 p1 - 0.025 q2, 0.6 - 0.05 p1 + 0.0125 q2]]
        // b1 = (0.1, -0.1 + 0.15 p1, 0.2 - 0.025 p1 + 0.025 q2)
        // W2 = [[0.3, -0.1 - 0.225 p1, 0.2 - 0.225 p1 + 0.25 q2],
        //       [-0.4, 0.5 + 0.225 p1, 0.1 + 0.225 p1 - 0.25 q2]]
        // b2 = (0.05 - 0.25 p1 + 0.25 q2, -0.05 + 0.25 p1 - 0.25 q2)
        double[] expected = {
            0.1, 0.4 + 0.15 * p1, -0.5 - 0.025 * p1 - 0.025 * q2,
            -0.2, 0.3 + 0.3 * p1, 0.6 - 0.05 * p1 + 0.0125 * q2,
            0.1, -0.1 + 0.15 * p1, 0.2 - 0.025 * p1 + 0.025 * q2,
            0.3, -0.4, -0.1 - 0.225 * p1, 0.5 + 0.225 * p1, 0.2 - 0.225 * p1 + 0.25 * q2, 0.1 + 0.225 * p1 - 0.25 * q2,
            0.05 - 0.25 * p1 + 0.25 * q2, -0.05 + 0.25 * p1 - 0.25 * q2};
        assertArrayEquals(expected, updated, EPS);
        // The same numbers, evaluated: p1 = 0.41338..., q2 = 0.45016...
        assertEquals(0.4620073631624, updated[1], 1e-12);
        assertEquals(-0.1 - 0.225 * 0.41338242108267, updated[11], 1e-12);
    }

    private static double[] concat(double[]... parts) {
        return java.util.Arrays.stream(parts).flatMapToDouble(java.util.Arrays::stream).toArray();
    }
}
