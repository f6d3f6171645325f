package io.sparkprop.nn;

/**
 * Counts of (true class, predicted class) pairs over K classes, and the classification metrics
 * read from them: accuracy, and per class precision, recall and F1. The one place these are
 * written; a class that never occurs (no row, or no prediction) scores 0, not NaN.
 */
public final class ConfusionMatrix {
    private final long[][] counts; // [actual][predicted]

    public ConfusionMatrix(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("a confusion matrix needs at least one class, got " + classes);
        }
        counts = new long[classes][classes];
    }

    /** Adds {@code count} rows of class {@code actual} predicted as {@code predicted}. */
    public void add(int actual, int predicted, long count) {
        if (actual < 0 || actual >= counts.length || predicted < 0 || predicted >= counts.length) {
            throw new IllegalArgumentException("class " + actual + " predicted as " + predicted
                    + " is outside 0.." + (counts.length - 1));
        }
        counts[actual][predicted] += count;
    }

    public int classes() {
        return counts.length;
    }

    /** Rows: true class; columns: predicted class. A copy. */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int k = 0; k < counts.length; k++) {
            copy[k] = counts[k].clone();
        }
        return copy;
    }

    public long rows() {
        long rows = 0;
        for (long[] row : counts) {
            for (long v : row) {
                rows += v;
            }
        }
        return rows;
    }

    /** Correct predictions / rows; NaN when there are no rows. */
    public double accuracy() {
        long right = 0;
        for (int k = 0; k < counts.length; k++) {
            right += counts[k][k];
        }
        long rows = rows();
        return rows == 0 ? Double.NaN : (double) right / rows;
    }

    /** Of the rows predicted as k, the share that are k. */
    public double precision(int k) {
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[k];
        }
        return predicted == 0 ? 0 : (double) counts[k][k] / predicted;
    }

    /** Of the rows that are k, the share predicted as k. */
    public double recall(int k) {
        long actual = 0;
        for (long v : counts[k]) {
            actual += v;
        }
        return actual == 0 ? 0 : (double) counts[k][k] / actual;
    }

    /** The harmonic mean of precision and recall of class k. */
    public double f1(int k) {
        double p = precision(k);
        double r = recall(k);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
