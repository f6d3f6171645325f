package io.sparkprop.nn;

/**
 * What backprop may need to know of each sample besides its X and Y columns, from {@code offset}
 * on: its identity (which draws its dropout masks) and its weight w_i. Either array may be null:
 * no identities (then no dropout), or every row weighing 1.
 */
public record RowInfo(long[] keys, double[] weights, int offset) {
    public static final RowInfo NONE = new RowInfo(null, null, 0);

    /** The same rows from {@code n} samples further on. */
    RowInfo skip(int n) {
        return n == 0 ? this : new RowInfo(keys, weights, offset + n);
    }

    boolean weighted() {
        return weights != null;
    }

    double weight(int c) {
        return weights[offset + c];
    }
}
