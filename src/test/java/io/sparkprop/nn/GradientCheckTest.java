package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Central differences against backprop, for every hidden activation x (output unit, loss), on a
 * network with two hidden layers. The loss differentiated is the loss sum over the block, the
 * same quantity whose gradient the engine accumulates.
 */
class GradientCheckTest {
    static final double TOLERANCE = 1e-6;

    static Stream<Arguments> pairings() {
        List<Arguments> out = new ArrayList<>();
        for (Activation hidden : new Activation[] {Activation.SIGMOID, Activation.RELU, Activation.TANH}) {
            out.add(Arguments.of(hidden, Activation.SOFTMAX, Loss.CROSS_ENTROPY, 4));
            out.add(Arguments.of(hidden, Activation.SIGMOID, Loss.BINARY_CROSS_ENTROPY, 1));
            out.add(Arguments.of(hidden, Activation.SIGMOID, Loss.BINARY_CROSS_ENTROPY, 3));
            out.add(Arguments.of(hidden, Activation.SIGMOID, Loss.QUADRATIC, 3));
            out.add(Arguments.of(hidden, Activation.IDENTITY, Loss.QUADRATIC, 2));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} hidden, {1} + {2}, {3} outputs")
    @MethodSource("pairings")
    void backpropMatchesCentralDifferences(Activation hidden, Activation output, Loss loss, int outputs) {
        Topology t = network(hidden, output, loss, outputs);
        SplittableRandom random = random(t);
        int samples = 9;
        double[] x = random.doubles(5L * samples, -2, 2).toArray();
        double[] y = TestData.targets(t, samples, random);
        double[] w = WeightInit.initialWeights(t, 7);
        for (int i = 0; i < w.length; i++) {
            w[i] += random.nextDouble(-0.1, 0.1); // non-zero biases too
        }

        GradientSum analytic = new GradientSum(t.parameterCount());
        new Backprop(t, samples).accumulate(w, x, 0, y, 0, samples, analytic);

        double worst = maxRelativeError(t, w, x, y, samples, analytic.sums());
        System.out.printf("gradient check %s: max relative error %.2e%n", t, worst);
        assertTrue(worst < TOLERANCE, "max relative error " + worst + " for " + t);
    }

    /** The network a pairing is checked on: two hidden layers. */
    static Topology network(Activation hidden, Activation output, Loss loss, int outputs) {
        return new Topology(new int[] {5, 6, 4, outputs}, hidden, output, loss);
    }

    /** The random numbers of a pairing's data: its own, and the same in every check of it. */
    static SplittableRandom random(Topology t) {
        return new SplittableRandom(t.activation(1).ordinal() * 31L + t.loss().ordinal() * 7L + t.outputWidth());
    }

    /**
     * Max over parameters of |analytic - numeric| / max(|analytic| + |numeric|, 1e-6). For smooth
     * networks the numeric gradient is the five-point central difference with a large step: its
     * O(h^4) truncation error lets the step be large enough that the loss's own rounding (exp is
     * accurate to an ulp or two, and its SIMD form differs from Math.exp) does not swamp the
     * smallest components. ReLU's kinks need a step smaller than any unit's distance from 0, and
     * there the plain central difference with a small step does.
     */
    static double maxRelativeError(Topology t, double[] w, double[] x, double[] y, int samples, double[] analytic) {
        double[] numeric = numericGradient(t, w, x, y, samples);
        double worst = 0;
        for (int i = 0; i < w.length; i++) {
            double err = Math.abs(analytic[i] - numeric[i])
                    / Math.max(Math.abs(analytic[i]) + Math.abs(numeric[i]), 1e-6);
            worst = Math.max(worst, err);
        }
        return worst;
    }

    /** The gradient of the loss sum by finite differences in double, as {@link #maxRelativeError} describes. */
    static double[] numericGradient(Topology t, double[] w, double[] x, double[] y, int samples) {
        Backprop bp = new Backprop(t, samples);
        boolean kinked = t.activation(1) == Activation.RELU;
        double h = kinked ? 1e-5 : 1e-3;
        double[] gradient = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            double saved = w[i];
            double numeric;
            if (kinked) {
                numeric = (lossAt(bp, w, i, saved + h, x, y, samples) - lossAt(bp, w, i, saved - h, x, y, samples))
                        / (2 * h);
            } else {
                numeric = (-lossAt(bp, w, i, saved + 2 * h, x, y, samples)
                        + 8 * lossAt(bp, w, i, saved + h, x, y, samples)
                        - 8 * lossAt(bp, w, i, saved - h, x, y, samples)
                        + lossAt(bp, w, i, saved - 2 * h, x, y, samples)) / (12 * h);
            }
            w[i] = saved;
            gradient[i] = numeric;
        }
        return gradient;
    }

    private static double lossAt(Backprop bp, double[] w, int i, double value, double[] x, double[] y, int samples) {
        w[i] = value;
        return lossSum(bp, w, x, y, samples);
    }

    static double lossSum(Backprop bp, double[] w, double[] x, double[] y, int samples) {
        GradientSum s = new GradientSum(bp.topology().parameterCount());
        bp.evaluate(w, x, 0, y, 0, samples, s);
        return s.lossSum();
    }
}
