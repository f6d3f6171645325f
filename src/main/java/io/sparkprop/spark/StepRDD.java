package io.sparkprop.spark;

import io.sparkprop.nn.Block;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Topology;
import io.sparkprop.train.Shard;
import io.sparkprop.train.ShardWorkspace;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag$;

/**
 * One step's work as an RDD over the cached blocks: partition p is shard p's partial gradient
 * sum at the step's weights. The weights ride in the partitions, and Spark serializes a task's
 * partition into the task's own launch message. Small weights therefore reach an executor with
 * the task, with no broadcast to fetch (a location lookup, a fetch and a report to the driver,
 * per executor and step) and none to destroy. Weights too large to copy into every task go as
 * a broadcast, and the partitions carry its handle.
 */
final class StepRDD extends RDD<GradientSum> {
    private static final long serialVersionUID = 1L;
    private final RDD<Block> blocks;
    private final Topology topology;
    private final int maxColumns;
    private final ShardTask task;
    // Not shipped with the RDD: each partition carries its own reference to the weights.
    private final transient StepWeights weights;

    StepRDD(RDD<Block> blocks, StepWeights weights, Topology topology, int maxColumns, ShardTask task) {
        super(blocks, ClassTag$.MODULE$.apply(GradientSum.class));
        this.blocks = blocks;
        this.weights = weights;
        this.topology = topology;
        this.maxColumns = maxColumns;
        this.task = task;
    }

    @Override
    public Partition[] getPartitions() {
        Partition[] parents = blocks.partitions();
        Partition[] out = new Partition[parents.length];
        for (int i = 0; i < parents.length; i++) {
            out[i] = new ShardPartition(parents[i], weights);
        }
        return out;
    }

    @Override
    public scala.collection.Iterator<GradientSum> compute(Partition split, TaskContext context) {
        ShardPartition shard = (ShardPartition) split;
        List<Block> rows = new ArrayList<>();
        Iterator<Block> it = SparkApiBridge.asJava(blocks.iterator(shard.parent, context));
        it.forEachRemaining(rows::add);
        GradientSum sum = new GradientSum(topology.parameterCount());
        ShardWorkspace ws = ExecutorWorkspaces.get(topology, maxColumns);
        task.run(shard.weights.values(), shard.index(), new Shard(rows), ws, sum);
        return scala.collection.Iterator$.MODULE$.single(sum);
    }

    /** The weights as a step's tasks reach them: inside each task, or by a broadcast's handle. */
    interface StepWeights extends java.io.Serializable {
        double[] values();
    }

    /** Copied into every task's launch message. */
    static final class InTask implements StepWeights {
        private static final long serialVersionUID = 1L;
        private final WeightsMessage message;

        /** @param asFloats send them rounded to float (float32 training) */
        InTask(double[] weights, boolean asFloats) {
            this.message = new WeightsMessage(weights, asFloats);
        }

        @Override
        public double[] values() {
            return message.values();
        }
    }

    /** Fetched once per executor from the broadcast's blocks. */
    static final class Broadcasted implements StepWeights {
        private static final long serialVersionUID = 1L;
        private final Broadcast<WeightsMessage> handle;

        Broadcasted(Broadcast<WeightsMessage> handle) {
            this.handle = handle;
        }

        @Override
        public double[] values() {
            return handle.value().values();
        }
    }

    /** A partition of the cached blocks, with the step's weights. */
    private record ShardPartition(Partition parent, StepWeights weights) implements Partition {
        @Override
        public int index() {
            return parent.index();
        }

        @Override
        public int hashCode() { // as Spark's own partitions: the index
            return parent.index();
        }
    }
}
