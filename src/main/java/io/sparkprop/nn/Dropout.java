package io.sparkprop.nn;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Inverted dropout on the hidden layers, in training only: unit j of hidden layer l is kept for a
 * row with probability 1 - p_l and then scaled by 1 / (1 - p_l), so that its expected value is
 * unchanged and prediction uses the weights as they are.
 *
 * <p>A mask is a pure function of (step key, row identity, layer, unit), where the step key
 * mixes the seed, epoch and step: a retried task, a lost executor, a resumed run or another
 * partitioning draws the same masks for the same row.
 */
public final class Dropout implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final Dropout NONE = new Dropout(new double[] {0.0});

    private final double[] rates; // one for every hidden layer, or one per hidden layer

    /** @param rates one rate for every hidden layer, or one per hidden layer; each in [0, 1) */
    public Dropout(double[] rates) {
        if (rates.length == 0) {
            throw new IllegalArgumentException("dropout needs at least one rate");
        }
        for (double p : rates) {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("dropout rate " + p + " is not in [0, 1)");
            }
        }
        this.rates = rates.clone();
    }

    /** Checks the rates fit the network: one, or one per hidden layer. */
    public void checkFits(Topology t) {
        int hidden = t.layerCount() - 1;
        if (rates.length != 1 && rates.length != hidden) {
            throw new IllegalArgumentException("dropout has " + rates.length + " rates for " + hidden + " hidden layer"
                    + (hidden == 1 ? "" : "s") + "; give one rate, or one per hidden layer");
        }
    }

    public boolean isOff() {
        for (double p : rates) { // asked for every block of every step: no stream
            if (p != 0) {
                return false;
            }
        }
        return true;
    }

    /** The rates as given: one for every hidden layer, or one per hidden layer. */
    public double[] rates() {
        return rates.clone();
    }

    /** p_l for hidden layer l (1-based). */
    public double rate(int layer) {
        return rates.length == 1 ? rates[0] : rates[layer - 1];
    }

    /** The key of one step's masks. */
    public static long stepKey(long seed, int epoch, int step) {
        return mix(mix(seed ^ 0x5DEECE66DL) ^ ((long) epoch << 32 | step));
    }

    /**
     * The multipliers of hidden layer l (n units) for {@code cols} rows whose identities are
     * {@code keys[keyOff..]}: scale[c*n + j] is 0 (dropped) or 1 / (1 - p_l) (kept).
     */
    public void fill(double[] scale, int layer, int n, long stepKey, long[] keys, int keyOff, int cols) {
        double p = rate(layer);
        double kept = 1.0 / (1.0 - p);
        for (int c = 0; c < cols; c++) {
            long rowKey = mix(stepKey ^ mix(keys[keyOff + c] + layer));
            for (int j = 0; j < n; j++) {
                scale[c * n + j] = uniform(rowKey, j) < p ? 0.0 : kept;
            }
        }
    }

    /** {@link #fill(double[], int, int, long, long[], int, int)} for float32 training: the same masks. */
    public void fill(float[] scale, int layer, int n, long stepKey, long[] keys, int keyOff, int cols) {
        double p = rate(layer);
        float kept = (float) (1.0 / (1.0 - p));
        for (int c = 0; c < cols; c++) {
            long rowKey = mix(stepKey ^ mix(keys[keyOff + c] + layer));
            for (int j = 0; j < n; j++) {
                scale[c * n + j] = uniform(rowKey, j) < p ? 0f : kept;
            }
        }
    }

    /** A uniform double in [0, 1) for unit j of a row's layer. */
    private static double uniform(long rowKey, int unit) {
        return (mix(rowKey + (unit + 1) * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finaliser: every input bit moves every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The rates as the param writes them, e.g. {@code 0.2} or {@code 0.3,0.1}: what a checkpoint compares. */
    @Override
    public String toString() {
        return Arrays.stream(rates).mapToObj(p -> String.format(Locale.ROOT, "%s", p)).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dropout d && Arrays.equals(rates, d.rates);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rates);
    }
}
