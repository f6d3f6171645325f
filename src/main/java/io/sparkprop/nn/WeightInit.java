package io.sparkprop.nn;

import java.util.SplittableRandom;

/**
 * Seeded initial weights: scaled uniform, He (sqrt(6 / fan_in)) for ReLU layers and
 * Xavier/Glorot (sqrt(6 / (fan_in + fan_out))) for the rest; biases 0. SplittableRandom's
 * sequence is specified, so the same seed gives the same weights on any JVM.
 */
public final class WeightInit {
    private WeightInit() {
    }

    public static double[] initialWeights(Topology t, long seed) {
        double[] w = new double[t.parameterCount()];
        SplittableRandom random = new SplittableRandom(seed);
        for (int l = 1; l <= t.layerCount(); l++) {
            int fanIn = t.width(l - 1);
            int fanOut = t.width(l);
            double limit = t.activation(l) == Activation.RELU
                    ? Math.sqrt(6.0 / fanIn)
                    : Math.sqrt(6.0 / (fanIn + fanOut));
            int off = t.weightOffset(l);
            for (int i = 0; i < fanIn * fanOut; i++) {
                w[off + i] = random.nextDouble(-limit, limit);
            }
        }
        return w;
    }
}
