package io.sparkprop.train;

import io.sparkprop.nn.Backprop;
import io.sparkprop.nn.FloatBackprop;
import io.sparkprop.nn.Topology;

/**
 * The buffers one task needs to run steps over a {@link Shard}: the backprop buffers and a
 * gather area for the rows of a mini-batch, in the precision of the blocks it meets (made on
 * first use), and the float copy of the weights. Not thread-safe; one per task thread.
 */
public final class ShardWorkspace {
    private final Topology topology;
    private final int maxColumns;
    private Backprop backprop;
    private double[] gatherX;  // n_0 x maxColumns
    private double[] gatherY;  // n_L x maxColumns, for either precision
    private long[] gatherKeys; // the gathered rows' identities (for dropout's masks)
    private double[] gatherWeights; // the gathered rows' weights, when they carry weights
    private FloatBackprop floatBackprop;
    private float[] floatGatherX;
    private float[] floatWeights;
    // The array floatWeights were widened into when they came as floats (takeFloatWeights): its
    // rounding is floatWeights, bit for bit, until weights come again.
    private double[] widenedFromFloats;

    public ShardWorkspace(Topology topology, int maxColumns) {
        if (maxColumns <= 0) {
            throw new IllegalArgumentException("maxColumns must be positive, got " + maxColumns);
        }
        this.topology = topology;
        this.maxColumns = maxColumns;
    }

    public Topology topology() {
        return topology;
    }

    public int maxColumns() {
        return maxColumns;
    }

    Backprop backprop() {
        if (backprop == null) {
            backprop = new Backprop(topology, maxColumns);
            gatherX = new double[topology.inputWidth() * maxColumns];
        }
        return backprop;
    }

    double[] gatherX() {
        backprop();
        return gatherX;
    }

    double[] gatherY() {
        if (gatherY == null) {
            gatherY = new double[topology.outputWidth() * maxColumns];
        }
        return gatherY;
    }

    long[] gatherKeys() {
        if (gatherKeys == null) {
            gatherKeys = new long[maxColumns];
        }
        return gatherKeys;
    }

    double[] gatherWeights() {
        if (gatherWeights == null) {
            gatherWeights = new double[maxColumns];
        }
        return gatherWeights;
    }

    FloatBackprop floatBackprop() {
        if (floatBackprop == null) {
            floatBackprop = new FloatBackprop(topology, maxColumns);
            floatGatherX = new float[topology.inputWidth() * maxColumns];
        }
        return floatBackprop;
    }

    float[] floatGatherX() {
        floatBackprop();
        return floatGatherX;
    }

    /**
     * {@code w} rounded to float, in a buffer reused from call to call: take it once per pass over
     * a shard. Rounded on every call (a local trainer updates one array in place), but for the
     * array {@link #takeFloatWeights} widened the sent floats into: those floats are its rounding.
     */
    float[] floatWeights(double[] w) {
        if (w != widenedFromFloats) {
            floatWeights = FloatBackprop.toFloat(w, w.length, floatWeights);
            widenedFromFloats = null; // the buffer holds another array's rounding now
        }
        return floatWeights;
    }

    /**
     * Takes the {@code n} weights a step task was sent as floats: copied as they are, and widened
     * (exactly) into {@code reuse} when it holds {@code n}, else into a new array, which is
     * returned. Until weights come again, {@link #floatWeights} of that array hands out the floats
     * as sent instead of rounding it again: they are its rounding, bit for bit.
     */
    public double[] takeFloatWeights(java.nio.FloatBuffer floats, int n, double[] reuse) {
        if (floatWeights == null || floatWeights.length != n) {
            floatWeights = new float[n];
        }
        floats.get(0, floatWeights); // in bulk: a memory copy
        double[] w = reuse != null && reuse.length == n ? reuse : new double[n];
        FloatBackprop.toDouble(floatWeights, n, w);
        widenedFromFloats = w;
        return w;
    }

    /** Weights that came as doubles: {@link #floatWeights} rounds them, as it does any array. */
    public void tookDoubleWeights() {
        widenedFromFloats = null;
    }
}
