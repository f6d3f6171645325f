package io.sparkprop.nn;

import dev.ludovic.netlib.blas.BLAS;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamField;
import java.io.Serializable;

/**
 * Sums over the samples seen, never means: S_W and S_b for every layer in the flat layout of
 * {@link Topology}, the loss sum, the number of rows, their weight m and the weight classified
 * correctly. With sample weights w_i every sum is weighted (S_W = sum_i w_i dZ_i A_i^T, m = sum_i
 * w_i); without, every w_i is 1 and m is the row count. Partial sums from any split of the rows
 * merge by addition; the one division by m happens where all of them have been added (see
 * {@link #meanGradientInPlace()}).
 */
public final class GradientSum implements Serializable {
    private static final long serialVersionUID = 2L;

    /**
     * What Java serialization writes field by field: all but the sums, which writeObject adds as
     * one run of bytes. Not {@code transient}: Kryo (a common spark.serializer) skips transient
     * fields and ignores writeObject, and must still see the array.
     */
    private static final ObjectStreamField[] serialPersistentFields = {
        new ObjectStreamField("parameterCount", int.class),
        new ObjectStreamField("lossSum", double.class),
        new ObjectStreamField("count", long.class),
        new ObjectStreamField("weight", double.class),
        new ObjectStreamField("correct", double.class),
    };

    private static final int[] NO_RANGES = {};

    private final int parameterCount;
    private double[] sums; // allocated on first use
    // A float32 task's one partial sum, kept as the floats it is while nothing else was added
    // (sums then holds nothing of it): a step task sends them as they are, with no pass that
    // adds them into zeros and none that checks they round back. Whatever reads the sums as
    // doubles widens them first, exactly. Not transient: Kryo carries the fields as they are.
    private float[] floats;
    private boolean inFloats;
    private boolean doublesZero = true; // sums is null or all zeros: what addFloats may keep as floats
    private double lossSum;
    private long count;
    private double weight;
    private double correct;

    public GradientSum(int parameterCount) {
        if (parameterCount <= 0) {
            throw new IllegalArgumentException("parameterCount must be positive, got " + parameterCount);
        }
        this.parameterCount = parameterCount;
    }

    /**
     * A sum rebuilt from its parts, as another process sent them: {@code sums} null when it holds
     * statistics only (no rows, or an evaluation), else exactly parameterCount values, taken as is.
     */
    public static GradientSum of(int parameterCount, double[] sums, double lossSum, long count, double weight,
                                 double correct) {
        GradientSum s = new GradientSum(parameterCount);
        if (sums != null && sums.length != parameterCount) {
            throw new IllegalArgumentException(sums.length + " sums for " + parameterCount + " parameters");
        }
        s.sums = sums;
        s.doublesZero = sums == null;
        s.lossSum = lossSum;
        s.count = count;
        s.weight = weight;
        s.correct = correct;
        return s;
    }

    /** Whether the gradient sums exist (were added to, or asked for): without, it holds statistics only. */
    public boolean hasSums() {
        return sums != null || inFloats;
    }

    /**
     * Adds float sums (a float32 pass's partial sums) into these sums. Into sums that hold nothing
     * yet they are kept as floats ({@link #floatSums}); else they are added in double, as
     * {@code sums()[i] += values[i]} would.
     */
    public void addFloats(float[] values) {
        if (values.length != parameterCount) {
            throw new IllegalArgumentException(values.length + " sums for " + parameterCount + " parameters");
        }
        if (doublesZero && !inFloats) {
            if (floats == null) {
                floats = new float[parameterCount];
            }
            System.arraycopy(values, 0, floats, 0, parameterCount);
            inFloats = true; // 0.0 + (double) f is (double) f exactly: the partial sums start at +0 and never are -0
            return;
        }
        double[] s = sums();
        for (int i = 0; i < parameterCount; i++) {
            s[i] += values[i];
        }
    }

    /**
     * The sums as the floats that were added into an empty sum and nothing since, or null when
     * they are not that (then they are {@link #sums()}). The array itself, valid until the next change.
     */
    public float[] floatSums() {
        return inFloats ? floats : null;
    }

    /** Back to an empty sum, keeping the array (zeroed) for the next use: a task's buffer from step to step. */
    public void clear() {
        if (sums != null && !doublesZero) {
            java.util.Arrays.fill(sums, 0.0);
        }
        inFloats = false;
        doublesZero = true;
        lossSum = 0;
        count = 0;
        weight = 0;
        correct = 0;
    }

    /** Adds another partial sum into this one and returns this (for Spark's combOp). */
    public GradientSum merge(GradientSum other) {
        if (other.parameterCount != parameterCount) {
            throw new IllegalArgumentException("cannot merge gradient sums of " + other.parameterCount
                    + " and " + parameterCount + " parameters");
        }
        if (other.count > 0) {
            if (!other.hasSums()) {
                // statistics only (an evaluation): nothing to add to the gradient
            } else if (sums == null && !inFloats) {
                sums = other.sums().clone();
                doublesZero = false;
            } else {
                BLAS.getInstance().daxpy(parameterCount, 1.0, other.sums(), 1, sums(), 1);
            }
            lossSum += other.lossSum;
            count += other.count;
            weight += other.weight;
            correct += other.correct;
        }
        return this;
    }

    void addStatistics(double loss, int samples, int rightAnswers) {
        addWeightedStatistics(loss, samples, samples, rightAnswers);
    }

    /** For weighted rows: {@code loss} and {@code weightedCorrect} weighted already, {@code rowWeight} = sum of w_i. */
    void addWeightedStatistics(double loss, int samples, double rowWeight, double weightedCorrect) {
        lossSum += loss;
        count += samples;
        weight += rowWeight;
        correct += weightedCorrect;
    }

    /** The raw sums, in the flat parameter layout; the array itself, for accumulation. */
    public double[] sums() {
        if (sums == null) {
            sums = new double[parameterCount];
        }
        if (inFloats) {
            FloatBackprop.toDouble(floats, parameterCount, sums);
            inFloats = false;
        }
        doublesZero = false; // the caller may add into them
        return sums;
    }

    public int parameterCount() {
        return parameterCount;
    }

    public double lossSum() {
        return lossSum;
    }

    /** The rows that went into these sums. */
    public long count() {
        return count;
    }

    /** m: the sum of the rows' weights (the row count when rows are not weighted). */
    public double weight() {
        return weight;
    }

    /** The weight of the rows classified correctly (their number when rows are not weighted). */
    public double correct() {
        return correct;
    }

    /** lossSum / m, or NaN when no weight was seen. */
    public double meanLoss() {
        return weight == 0 ? Double.NaN : lossSum / weight;
    }

    /** Divides the sums by m once, turning them into the mean gradient; returns the array. */
    public double[] meanGradientInPlace() {
        meanGradientInPlace(null, 0, NO_RANGES, NO_RANGES);
        return sums();
    }

    /**
     * Turns the sums S into the mean gradient in place, g = S / m, plus lambda W on the weights
     * ([weightStarts[k], weightEnds[k]) of the flat layout; not the biases) when lambda is not 0,
     * and tells whether every g is finite: one pass in {@link Slices}, where the division, the
     * decay and the check would read the arrays three times while every step task waits. Each g is
     * computed as S * (1 / m), then + lambda W.
     */
    public boolean meanGradientInPlace(double[] w, double lambda, int[] weightStarts, int[] weightEnds) {
        if (weight == 0) {
            throw new IllegalStateException("no weight was seen: cannot average a gradient over m = 0");
        }
        double[] g = sums();
        double inv = 1.0 / weight;
        int ranges = lambda == 0 ? 0 : weightStarts.length;
        return Slices.all(parameterCount, (from, to) -> {
            boolean finite = true;
            int i = from;
            for (int k = 0; k < ranges && i < to; k++) {
                int start = Math.max(i, Math.min(weightStarts[k], to));
                int end = Math.max(start, Math.min(weightEnds[k], to));
                for (; i < start; i++) { // biases
                    g[i] *= inv;
                    finite &= Double.isFinite(g[i]);
                }
                for (; i < end; i++) { // weights
                    g[i] = g[i] * inv + lambda * w[i];
                    finite &= Double.isFinite(g[i]);
                }
            }
            for (; i < to; i++) {
                g[i] *= inv;
                finite &= Double.isFinite(g[i]);
            }
            return finite;
        });
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        out.writeBoolean(hasSums());
        if (hasSums()) {
            PackedDoubles.write(out, sums());
        }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (in.readBoolean()) {
            sums = PackedDoubles.read(in);
            if (sums.length != parameterCount) {
                throw new IOException("corrupt gradient sum: " + sums.length + " values for " + parameterCount
                        + " parameters");
            }
        }
        doublesZero = sums == null; // what Java serialization leaves out starts as a new sum's
    }
}
