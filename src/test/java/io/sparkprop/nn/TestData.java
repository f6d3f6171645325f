package io.sparkprop.nn;

import java.util.SplittableRandom;

/** Random targets that fit a network's output unit, for tests. */
final class TestData {
    private TestData() {
    }

    static double[] targets(Topology t, int samples, SplittableRandom random) {
        int n = t.outputWidth();
        double[] y = new double[n * samples];
        for (int c = 0; c < samples; c++) {
            switch (t.outputActivation()) {
                case SOFTMAX -> y[c * n + random.nextInt(n)] = 1.0;
                case SIGMOID -> {
                    for (int j = 0; j < n; j++) {
                        y[c * n + j] = random.nextBoolean() ? 1.0 : 0.0;
                    }
                }
                default -> {
                    for (int j = 0; j < n; j++) {
                        y[c * n + j] = random.nextGaussian();
                    }
                }
            }
        }
        return y;
    }
}
