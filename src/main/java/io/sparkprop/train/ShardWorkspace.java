package io.sparkprop.train;

import io.sparkprop.nn.Backprop;
import io.sparkprop.nn.Topology;

/**
 * The buffers one task needs to run steps over a {@link Shard}: the {@link Backprop} buffers,
 * and a gather area for the rows of a mini-batch. Not thread-safe; one per task thread.
 */
public final class ShardWorkspace {
    final Backprop backprop;
    final double[] gatherX; // n_0 x maxColumns
    final double[] gatherY; // n_L x maxColumns

    public ShardWorkspace(Topology topology, int maxColumns) {
        this.backprop = new Backprop(topology, maxColumns);
        this.gatherX = new double[topology.inputWidth() * maxColumns];
        this.gatherY = new double[topology.outputWidth() * maxColumns];
    }

    public Topology topology() {
        return backprop.topology();
    }

    public int maxColumns() {
        return backprop.maxColumns();
    }
}
