package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dropout's masks (a pure function of step, row, layer and unit, kept with probability 1 - p and
 * scaled by 1 / (1 - p)) and backprop through them, checked against central differences of the
 * loss with the same masks held fixed.
 */
class DropoutTest {
    static final long[] KEYS = new SplittableRandom(3).longs(400).toArray();

    @Test
    void masksArePureFunctionsOfStepRowLayerAndUnit() {
        Dropout d = new Dropout(new double[] {0.25});
        long step = Dropout.stepKey(42, 3, 7);
        double[] a = new double[16 * 400];
        double[] b = new double[16 * 400];
        d.fill(a, 1, 16, step, KEYS, 0, 400);
        d.fill(b, 1, 16, step, KEYS, 0, 400);
        assertArrayEquals(a, b, 0.0);

        // Row 5 alone, at another offset of another array, gets row 5's mask.
        double[] one = new double[16];
        d.fill(one, 1, 16, step, KEYS, 5, 1);
        assertArrayEquals(Arrays.copyOfRange(a, 5 * 16, 6 * 16), one, 0.0);

        float[] f = new float[16 * 400];
        d.fill(f, 1, 16, step, KEYS, 0, 400);
        for (int i = 0; i < a.length; i++) {
            assertEquals((float) a[i], f[i], "float32 training draws the same masks");
        }

        long kept = Arrays.stream(a).filter(v -> v != 0).count();
        // 6,400 units at p = 0.25: 4,800 kept on average, standard deviation 35.
        assertTrue(Math.abs(kept - 4800) < 175, "kept " + kept + " of 6400");
        assertTrue(Arrays.stream(a).allMatch(v -> v == 0 || v == 1 / 0.75));

        for (long otherStep : new long[] {Dropout.stepKey(42, 3, 8), Dropout.stepKey(42, 4, 7),
            Dropout.stepKey(43, 3, 7)}) {
            double[] c = new double[16 * 400];
            d.fill(c, 1, 16, otherStep, KEYS, 0, 400);
            assertFalse(Arrays.equals(a, c), "another step, epoch or seed draws other masks");
        }
        double[] layer2 = new double[16 * 400];
        d.fill(layer2, 2, 16, step, KEYS, 0, 400);
        assertFalse(Arrays.equals(a, layer2), "another layer draws other masks");
    }

    @Test
    void ratesAreCheckedAgainstTheNetwork() {
        assertThrows(IllegalArgumentException.class, () -> new Dropout(new double[] {1.5}));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(new double[] {1.0}));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(new double[] {-0.1}));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(new double[] {Double.NaN}));
        Topology two = new Topology(new int[] {4, 8, 6, 3}, Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        new Dropout(new double[] {0.2}).checkFits(two);
        new Dropout(new double[] {0.2, 0.1}).checkFits(two);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dropout(new double[] {0.2, 0.1, 0.3}).checkFits(two));
        assertEquals("dropout has 3 rates for 2 hidden layers; give one rate, or one per hidden layer", e.getMessage());
        assertEquals(0.1, new Dropout(new double[] {0.2, 0.1}).rate(2));
        assertTrue(Dropout.NONE.isOff());
    }

    static Stream<Arguments> networks() {
        return Stream.of(Arguments.of(Activation.SIGMOID, Activation.SOFTMAX, Loss.CROSS_ENTROPY, 4),
                Arguments.of(Activation.TANH, Activation.SIGMOID, Loss.BINARY_CROSS_ENTROPY, 1),
                Arguments.of(Activation.RELU, Activation.IDENTITY, Loss.QUADRATIC, 2));
    }

    /** Both precisions' backprop through fixed masks against the loss's central differences with the same masks. */
    @ParameterizedTest(name = "{0} hidden, {1} + {2}")
    @MethodSource("networks")
    void backpropThroughFixedMasksMatchesCentralDifferences(Activation hidden, Activation output, Loss loss,
                                                           int outputs) {
        Topology t = new Topology(new int[] {5, 7, 6, outputs}, hidden, output, loss);
        Dropout dropout = new Dropout(new double[] {0.3, 0.2});
        long step = Dropout.stepKey(1, 2, 3);
        SplittableRandom random = new SplittableRandom(11);
        int samples = 12;
        double[] x = random.doubles(5L * samples, -2, 2).map(v -> (float) v).toArray();
        double[] y = TestData.targets(t, samples, random);
        double[] w = WeightInit.initialWeights(t, 5);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (w[i] + random.nextDouble(-0.1, 0.1));
        }
        Backprop bp = new Backprop(t, samples);
        GradientSum analytic = new GradientSum(t.parameterCount());
        bp.accumulate(w, x, 0, y, 0, samples, analytic, dropout, step, new RowInfo(KEYS, null, 0));

        boolean kinked = hidden == Activation.RELU;
        double h = kinked ? 1e-5 : 1e-3;
        double[] numeric = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            double saved = w[i];
            w[i] = saved + h;
            double up = maskedLoss(bp, w, x, y, samples, dropout, step);
            w[i] = saved - h;
            double down = maskedLoss(bp, w, x, y, samples, dropout, step);
            w[i] = saved;
            numeric[i] = (up - down) / (2 * h);
        }
        double largest = Arrays.stream(numeric).map(Math::abs).max().orElseThrow();
        double worst64 = 0;
        for (int i = 0; i < w.length; i++) {
            worst64 = Math.max(worst64, Math.abs(analytic.sums()[i] - numeric[i]) / largest);
        }
        // Central differences with one step h: truncation error O(h^2), about 1e-7 of the largest component here.
        assertTrue(worst64 < 1e-5, "float64: max error " + worst64 + " of the largest component");

        float[] x32 = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x32[i] = (float) x[i];
        }
        GradientSum sum32 = new GradientSum(t.parameterCount());
        new FloatBackprop(t, 5).accumulate(FloatBackprop.toFloat(w), x32, 0, y, 0, samples, sum32, dropout, step,
                new RowInfo(KEYS, null, 0));
        double worst32 = 0;
        for (int i = 0; i < w.length; i++) {
            worst32 = Math.max(worst32, Math.abs(sum32.sums()[i] - numeric[i]) / largest);
        }
        assertTrue(worst32 < 1e-5, "float32: max error " + worst32 + " of the largest component");

        GradientSum without = new GradientSum(t.parameterCount());
        bp.accumulate(w, x, 0, y, 0, samples, without);
        assertTrue(Math.abs(without.lossSum() - analytic.lossSum()) > 1e-6, "the masks change the loss");
    }

    private static double maskedLoss(Backprop bp, double[] w, double[] x, double[] y, int samples, Dropout dropout,
                                     long step) {
        GradientSum s = new GradientSum(bp.topology().parameterCount());
        bp.accumulate(w, x, 0, y, 0, samples, s, dropout, step, new RowInfo(KEYS, null, 0));
        return s.lossSum();
    }
}
