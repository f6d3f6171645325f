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
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.scheduler.TaskLocation;
import org.apache.spark.storage.BlockResult;
import org.apache.spark.storage.RDDBlockId;
import scala.Option;
import scala.reflect.ClassTag$;

/**
 * One step's work as an RDD over the cached blocks: partition p is shard p's partial gradient
 * sum at the step's weights. The weights ride in the partitions, and Spark serializes a task's
 * partition into the task's own launch message. Small weights therefore reach an executor with
 * the task, with no broadcast to fetch (a location lookup, a fetch and a report to the driver,
 * per executor and step) and none to destroy. Weights too large to copy into every task go as
 * a broadcast, and the partitions carry its handle.
 *
 * <p>It has no parent RDD: a task reads its partition's cached blocks by their block id, so the
 * task Spark serializes and every executor fetches and deserializes on every step holds this
 * RDD alone, not the lineage behind the blocks (the DataFrame's plan, the parsing and stacking
 * functions and what they hold, such as the standardisation statistics). A block that is gone
 * (its executor lost) fails the task with {@link CachedBlocksLost}; the driver then caches the
 * blocks again from their lineage and repeats the step, which gives the same sums (tasks are
 * pure). On the driver the RDD places each task where its blocks are, as Spark places a task
 * of the cached RDD itself.
 */
final class StepRDD extends RDD<GradientSum> {
    private static final long serialVersionUID = 1L;
    private final int blocksId;
    private final int partitionCount;
    private final Topology topology;
    private final int maxColumns;
    private final ShardTask task;
    // On the driver only: where the cached blocks are, for placing the tasks.
    private final transient RDD<Block> blocks;
    // Not shipped with the RDD: each partition carries its own reference to the weights.
    private final transient StepWeights weights;

    @SuppressWarnings({"unchecked", "rawtypes"})
    StepRDD(RDD<Block> blocks, StepWeights weights, Topology topology, int maxColumns, ShardTask task) {
        // Nil is a Seq in both Scala 2.12 and 2.13, whose Seq types differ.
        super(blocks.context(), (scala.collection.immutable.List) scala.collection.immutable.Nil$.MODULE$,
                ClassTag$.MODULE$.apply(GradientSum.class));
        this.blocks = blocks;
        this.blocksId = blocks.id();
        this.partitionCount = blocks.getNumPartitions();
        this.weights = weights;
        this.topology = topology;
        this.maxColumns = maxColumns;
        this.task = task;
    }

    @Override
    public Partition[] getPartitions() {
        Partition[] out = new Partition[partitionCount];
        for (int i = 0; i < partitionCount; i++) {
            out[i] = new ShardPartition(i, weights);
        }
        return out;
    }

    /** Where the partition's cached blocks are, as Spark's scheduler knows them (a list: a Seq in both Scalas). */
    @Override
    public scala.collection.immutable.List<String> getPreferredLocations(Partition split) {
        return cachedLocations(blocks, split.index());
    }

    /** Where partition {@code index} of the cached {@code blocks} is, as the scheduler knows it (driver only). */
    static scala.collection.immutable.List<String> cachedLocations(RDD<Block> blocks, int index) {
        scala.collection.Seq<TaskLocation> cached = blocks.context().getPreferredLocs(blocks, index);
        List<String> hosts = new ArrayList<>();
        SparkApiBridge.asJava(cached.iterator()).forEachRemaining(location -> hosts.add(location.toString()));
        return SparkApiBridge.asScalaList(hosts);
    }

    @Override
    public scala.collection.Iterator<GradientSum> compute(Partition split, TaskContext context) {
        ShardPartition shard = (ShardPartition) split;
        GradientSum sum = new GradientSum(topology.parameterCount());
        ShardWorkspace ws = ExecutorWorkspaces.get(topology, maxColumns);
        task.run(shard.weights.values(), shard.index(), cachedShard(blocksId, shard.index()), ws, sum);
        return scala.collection.Iterator$.MODULE$.single(sum);
    }

    /** Partition {@code index} of the cached blocks of RDD {@code blocksId}, read by block id (executor side). */
    static Shard cachedShard(int blocksId, int index) {
        Option<BlockResult> cached = SparkEnv.get().blockManager().get(new RDDBlockId(blocksId, index),
                ClassTag$.MODULE$.apply(Block.class));
        if (cached.isEmpty()) {
            throw new CachedBlocksLost(blocksId, index);
        }
        List<Block> rows = new ArrayList<>();
        Iterator<Object> it = SparkApiBridge.asJava(cached.get().data());
        it.forEachRemaining(block -> rows.add((Block) block));
        return new Shard(rows);
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

    /** Partition {@code index} of the cached blocks, with the step's weights. */
    private record ShardPartition(int index, StepWeights weights) implements Partition {
        @Override
        public int hashCode() { // as Spark's own partitions: the index
            return index;
        }
    }

    /** A task found its cached blocks gone; the driver caches them again and repeats the step. */
    static final class CachedBlocksLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CachedBlocksLost(int rddId, int partition) {
            super("the cached training blocks of partition " + partition + " (rdd_" + rddId + "_" + partition
                    + ") are gone, as after a lost executor");
        }
    }
}
