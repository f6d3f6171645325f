package io.sparkprop.train;

import io.sparkprop.nn.Block;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Topology;
import java.util.List;

/** All rows in this JVM, as one shard (partition 0): the reference the Spark trainer must agree with. */
public final class LocalGradientSource implements GradientSource {
    private final Topology topology;
    private final Shard shard;
    private final ShardWorkspace workspace;

    public LocalGradientSource(Topology topology, List<Block> blocks, int maxColumns) {
        this.topology = topology;
        this.shard = new Shard(blocks);
        this.workspace = new ShardWorkspace(topology, maxColumns);
    }

    public LocalGradientSource(Topology topology, List<Block> blocks) {
        this(topology, blocks, 256);
    }

    @Override
    public long rowCount() {
        return shard.rowCount();
    }

    @Override
    public GradientSum gradient(double[] weights, Step step) {
        GradientSum sum = new GradientSum(topology.parameterCount());
        shard.accumulate(weights, step, 0, workspace, sum);
        return sum;
    }

    @Override
    public GradientSum evaluate(double[] weights) {
        GradientSum sum = new GradientSum(topology.parameterCount());
        shard.evaluate(weights, workspace, sum);
        return sum;
    }

    @Override
    public void close() {
        // nothing cached outside the heap
    }
}
