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
     * a shard. (Never cached by the array's identity: a local trainer updates one array in place.)
     */
    float[] floatWeights(double[] w) {
        floatWeights = FloatBackprop.toFloat(w, w.length, floatWeights);
        return floatWeights;
    }
}
