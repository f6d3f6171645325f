package io.sparkprop.ml;

import java.util.SplittableRandom;

/**
 * A one-hidden-layer tanh + softmax network written with plain loops, sample by sample, sharing
 * no code with the engine: the reference the ML tests differentiate numerically.
 */
final class IndependentNet {
    private final int n0;
    private final int n1;
    private final int n2;

    IndependentNet(int[] widths) {
        n0 = widths[0];
        n1 = widths[1];
        n2 = widths[2];
    }

    int size() {
        return n1 * n0 + n1 + n2 * n1 + n2;
    }

    double[] randomWeights(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextDouble(-0.5, 0.5);
        }
        return w;
    }

    /** Mean cross-entropy over the rows; W column-major then b, layer by layer. */
    double meanLoss(double[] w, double[][] x, int[] y) {
        int b1 = n1 * n0;
        int w2 = b1 + n1;
        int b2 = w2 + n2 * n1;
        double total = 0;
        for (int s = 0; s < x.length; s++) {
            double[] h = new double[n1];
            for (int j = 0; j < n1; j++) {
                double z = w[b1 + j];
                for (int k = 0; k < n0; k++) {
                    z += w[k * n1 + j] * x[s][k];
                }
                h[j] = Math.tanh(z);
            }
            double[] o = new double[n2];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n2; j++) {
                double z = w[b2 + j];
                for (int k = 0; k < n1; k++) {
                    z += w[w2 + k * n2 + j] * h[k];
                }
                o[j] = z;
                max = Math.max(max, z);
            }
            double sum = 0;
            for (double z : o) {
                sum += Math.exp(z - max);
            }
            total += -(o[y[s]] - max - Math.log(sum));
        }
        return total / x.length;
    }

    /** Central differences of {@link #meanLoss}. */
    double[] numericMeanGradient(double[] w, double[][] x, int[] y) {
        double[] g = new double[w.length];
        double[] v = w.clone();
        double h = 1e-6;
        for (int i = 0; i < w.length; i++) {
            v[i] = w[i] + h;
            double plus = meanLoss(v, x, y);
            v[i] = w[i] - h;
            double minus = meanLoss(v, x, y);
            v[i] = w[i];
            g[i] = (plus - minus) / (2 * h);
        }
        return g;
    }
}
