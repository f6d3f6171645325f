package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * float32 backprop against the gradient by finite differences in double, for every pairing of
 * {@link GradientCheckTest}. float has a unit roundoff of 6e-8; inputs, weights, every product
 * and every activation are rounded to it, and a layer's sums run over up to 6 inputs and 40
 * samples here, summed in float over three chunks: the errors measured are 6e-8 to 3e-7 of the
 * gradient's largest component. The test allows 2e-6 of that component, per parameter: far
 * below what a wrong formula gives (an error of the gradient's own size), and about seven times
 * float's honest error.
 */
class FloatBackpropTest {
    static final double TOLERANCE = 2e-6;

    @ParameterizedTest(name = "{0} hidden, {1} + {2}, {3} outputs")
    @MethodSource("io.sparkprop.nn.GradientCheckTest#pairings")
    void float32GradientMatchesCentralDifferences(Activation hidden, Activation output, Loss loss, int outputs) {
        Topology t = GradientCheckTest.network(hidden, output, loss, outputs);
        SplittableRandom random = GradientCheckTest.random(t);
        int samples = 40;
        double[] x = random.doubles(5L * samples, -2, 2).toArray();
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) x[i]; // the inputs float32 training sees, so that only the arithmetic differs
        }
        double[] y = TestData.targets(t, samples, random);
        double[] w = WeightInit.initialWeights(t, 7);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (w[i] + random.nextDouble(-0.1, 0.1));
        }
        float[] x32 = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x32[i] = (float) x[i];
        }

        // maxColumns 16 < 40 samples: the sums run over three chunks, each added into the double sums.
        GradientSum sum32 = new GradientSum(t.parameterCount());
        new FloatBackprop(t, 16).accumulate(FloatBackprop.toFloat(w), x32, 0, y, 0, samples, sum32);
        double[] numeric = GradientCheckTest.numericGradient(t, w, x, y, samples);

        double largest = 0;
        for (double g : numeric) {
            largest = Math.max(largest, Math.abs(g));
        }
        double worst = 0;
        for (int i = 0; i < numeric.length; i++) {
            worst = Math.max(worst, Math.abs(sum32.sums()[i] - numeric[i]) / largest);
        }
        System.out.printf("float32 gradient check %s: max error %.2e of the largest component%n", t, worst);
        assertTrue(worst < TOLERANCE, "max error " + worst + " of the largest component, for " + t);

        GradientSum sum64 = new GradientSum(t.parameterCount());
        new Backprop(t, 16).accumulate(w, x, 0, y, 0, samples, sum64);
        assertEquals(sum64.count(), sum32.count());
        assertEquals(sum64.correct(), sum32.correct(), 1.0, "a tie at float's rounding may flip one answer");
        assertEquals(sum64.lossSum(), sum32.lossSum(), 1e-5 * Math.abs(sum64.lossSum()));
    }
}
