package io.sparkprop.nn;

/** The index of the largest of n values, the first one on a tie: a predicted class from its scores. */
public final class ArgMax {
    private ArgMax() {
    }

    /** The j in 0..n-1 with the largest v[off + j]. */
    public static int of(double[] v, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[off + j] > v[off + best]) {
                best = j;
            }
        }
        return best;
    }
}
