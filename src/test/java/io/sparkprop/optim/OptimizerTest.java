package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * First steps on the bowl f(w) = 0.5 (a w0^2 + b w1^2), gradient (a w0, b w1), against the
 * updates written out by hand.
 */
class OptimizerTest {
    static final double A = 2.0;
    static final double B = 0.5;

    static double[] gradient(double[] w) {
        return new double[] {A * w[0], B * w[1]};
    }

    @Test
    void gradientDescentIsWMinusAlphaG() {
        Optimizer gd = new GradientDescent();
        gd.initialise(2);
        double[] w = {1.0, -2.0};
        gd.stepInPlace(w, gradient(w), 0.1);
        assertEquals(1.0 - 0.1 * 2.0, w[0], 1e-15);       // 0.8
        assertEquals(-2.0 - 0.1 * (-1.0), w[1], 1e-15);   // -1.9
    }

    @Test
    void momentumAccumulatesVelocity() {
        Optimizer m = new Momentum(0.9, false);
        m.initialise(2);
        double[] w = {1.0, -2.0};
        m.stepInPlace(w, gradient(w), 0.1);
        // v1 = g1 = (2, -1); w1 = (0.8, -1.9)
        assertEquals(0.8, w[0], 1e-15);
        m.stepInPlace(w, gradient(w), 0.1);
        // g2 = (1.6, -0.95); v2 = 0.9 v1 + g2 = (3.4, -1.85); w2 = w1 - 0.1 v2 = (0.46, -1.715)
        assertEquals(0.46, w[0], 1e-15);
        assertEquals(-1.715, w[1], 1e-15);
    }

    @Test
    void nesterovLooksAhead() {
        Optimizer m = new Momentum(0.9, true);
        m.initialise(2);
        double[] w = {1.0, -2.0};
        m.stepInPlace(w, gradient(w), 0.1);
        // v1 = (2, -1); w1 = w0 - 0.1 (g1 + 0.9 v1) = 1 - 0.1 * 3.8 = 0.62; -2 - 0.1 * (-1.9) = -1.81
        assertEquals(0.62, w[0], 1e-15);
        assertEquals(-1.81, w[1], 1e-15);
    }

    @Test
    void adamBiasCorrectionMakesTheFirstStepAlphaTimesSignOfG() {
        Optimizer adam = new Adam(0.9, 0.999, 1e-8);
        adam.initialise(2);
        double[] w = {1.0, -2.0};
        adam.stepInPlace(w, gradient(w), 0.1);
        // m1 = 0.1 g, v1 = 0.001 g^2; corrected: m^ = g, v^ = g^2; step = alpha g / (|g| + eps)
        assertEquals(1.0 - 0.1 * 2.0 / (2.0 + 1e-8), w[0], 1e-15);
        assertEquals(-2.0 + 0.1 * 1.0 / (1.0 + 1e-8), w[1], 1e-15);

        // Step 2, written out: g2 = (1.8, -0.95) at w1 = (0.9, -1.9)
        double g0 = A * w[0];
        double m0 = 0.9 * (0.1 * 2.0) + 0.1 * g0;
        double v0 = 0.999 * (0.001 * 4.0) + 0.001 * g0 * g0;
        double expected = w[0] - 0.1 * (m0 / (1 - 0.81)) / (Math.sqrt(v0 / (1 - 0.998001)) + 1e-8);
        adam.stepInPlace(w, gradient(w), 0.1);
        assertEquals(expected, w[0], 1e-15);
    }

    @Test
    void adamInSlicesGivesTheBitsOfItsFormulaTakenElementByElement() {
        // past two slices' worth of parameters, so that the update runs in slices on any machine with two cores
        int n = 3 * io.sparkprop.nn.Slices.MIN_SLICE + 17;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        Adam adam = new Adam(b1, b2, eps);
        adam.initialise(n);
        java.util.Random random = new java.util.Random(11);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = random.nextGaussian();
        }
        double[] expected = w.clone();
        double[] m = new double[n];
        double[] v = new double[n];
        for (int t = 1; t <= 3; t++) {
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3);
            }
            double alpha = 0.003 * t;
            adam.stepInPlace(w, g, alpha);
            double c1 = 1.0 - Math.pow(b1, t);
            double c2 = 1.0 - Math.pow(b2, t);
            double r1 = 1.0 / c1;
            double r2 = 1.0 / Math.sqrt(c2);
            for (int i = 0; i < n; i++) {
                m[i] = b1 * m[i] + (1.0 - b1) * g[i];
                v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
                double direction = m[i] * r1 / (Math.sqrt(v[i]) * r2 + eps);
                // the textbook form, three divisions a parameter, to rounding
                double textbook = (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
                assertEquals(textbook, direction, 1e-14 * Math.abs(textbook), "step " + t + ", parameter " + i);
                expected[i] -= alpha * direction;
            }
            for (int i = 0; i < n; i++) {
                assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(w[i]),
                        "step " + t + ", parameter " + i);
            }
        }
        double[][] state = adam.state();
        assertArrayEquals(m, state[0]);
        assertArrayEquals(v, state[1]);
    }

    @Test
    void adamsStepIsItsDirectionTakenAlphaTimesBitForBit() {
        // stepInPlace moves the weights in the moments' own pass; LAMB takes the direction apart.
        // Adam's step must stay alpha times that direction, to the bit.
        Adam oneStep = new Adam();
        Adam byDirection = new Adam();
        oneStep.initialise(50);
        byDirection.initialise(50);
        java.util.Random random = new java.util.Random(9);
        double[] w = new double[50];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextGaussian();
        }
        double[] w2 = w.clone();
        for (int t = 1; t <= 6; t++) {
            double[] g = new double[50];
            for (int i = 0; i < g.length; i++) {
                g[i] = random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3);
            }
            double alpha = 0.01 * t;
            oneStep.stepInPlace(w, g.clone(), alpha);
            double[] d = new double[50];
            byDirection.direction(g, d);
            for (int i = 0; i < w2.length; i++) {
                w2[i] -= alpha * d[i];
            }
            for (int i = 0; i < w.length; i++) {
                assertEquals(Double.doubleToRawLongBits(w2[i]), Double.doubleToRawLongBits(w[i]), "step " + t);
            }
        }
    }

    @Test
    void stateRoundTripsAndBadSettingsAreRejected() {
        Adam adam = new Adam();
        adam.initialise(2);
        double[] w = {1.0, -2.0};
        adam.stepInPlace(w, gradient(w), 0.1);
        Adam copy = new Adam();
        copy.initialise(2);
        copy.restoreState(adam.state());
        double[] w2 = w.clone();
        adam.stepInPlace(w, gradient(w), 0.1);
        copy.stepInPlace(w2, gradient(w2), 0.1);
        assertEquals(w[0], w2[0], 0.0);
        assertThrows(IllegalArgumentException.class, () -> new Momentum(1.0, false));
        assertThrows(IllegalArgumentException.class, () -> Optimizers.create("sgdx", 0.9, false));
    }

    @Test
    void lambScalesAdamsDirectionByEachLayersTrustRatioAndStepsBiasesAsAdam() {
        Optimizer lamb = Optimizers.create("lamb", 0.9, false);
        // One layer: weights x = (3, 4) (norm 5), then its bias b = (0).
        lamb.initialise(3, new int[] {0}, new int[] {2});
        double[] w = {3.0, 4.0, 0.0};
        double[] g = {6.0, -1.0, 2.0};
        lamb.stepInPlace(w, g.clone(), 0.1);
        // Step 1: Adam's bias-corrected direction is g / (|g| + eps), (1, -1, 1) up to eps.
        double r0 = 6.0 / (6.0 + 1e-8);
        double r1 = -1.0 / (1.0 + 1e-8);
        double trust = 5.0 / Math.hypot(r0, r1);   // ||x|| / ||r||, about 5 / sqrt 2
        assertEquals(3.0 - 0.1 * trust * r0, w[0], 1e-12);
        assertEquals(4.0 - 0.1 * trust * r1, w[1], 1e-12);
        // The bias is outside the layer adaptation: an Adam step.
        assertEquals(-0.1 * 2.0 / (2.0 + 1e-8), w[2], 1e-15);
    }

    @Test
    void lambWithOneTensorMovesTheWeightsByAlphaTimesTheirNorm() {
        Optimizer lamb = new Lamb(0.9, 0.999, 1e-8, 0.0);
        lamb.initialise(2);
        double[] w = {1.0, -2.0};
        double before = Math.hypot(w[0], w[1]);
        double[] start = w.clone();
        lamb.stepInPlace(w, gradient(w), 0.01);
        // Whatever the gradient's size, the step's length is alpha ||w||: the layer-wise promise.
        assertEquals(0.01 * before, Math.hypot(w[0] - start[0], w[1] - start[1]), 1e-12);
    }

    @Test
    void lambStateRoundTripsAndBadWeightRangesAreRejected() {
        Lamb lamb = new Lamb(0.9, 0.999, 1e-8, 0.0);
        lamb.initialise(3, new int[] {0}, new int[] {2});
        double[] w = {1.0, -2.0, 0.5};
        lamb.stepInPlace(w, new double[] {1, 2, 3}, 0.1);
        Lamb copy = new Lamb(0.9, 0.999, 1e-8, 0.0);
        copy.initialise(3, new int[] {0}, new int[] {2});
        copy.restoreState(lamb.state());
        double[] w2 = w.clone();
        lamb.stepInPlace(w, new double[] {-1, 0.5, 2}, 0.1);
        copy.stepInPlace(w2, new double[] {-1, 0.5, 2}, 0.1);
        assertEquals(w[0], w2[0], 0.0);
        assertEquals(w[2], w2[2], 0.0);
        assertThrows(IllegalArgumentException.class,
                () -> new Lamb(0.9, 0.999, 1e-8, 0.0).initialise(3, new int[] {0}, new int[] {4}));
        assertThrows(IllegalArgumentException.class,
                () -> new Lamb(0.9, 0.999, 1e-8, 0.0).initialise(3, new int[] {0, 1}, new int[] {2, 3}));
    }
}
