package io.sparkprop.spark;

import io.sparkprop.nn.Block;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Topology;
import io.sparkprop.train.GradientSource;
import io.sparkprop.train.Shard;
import io.sparkprop.train.ShardWorkspace;
import io.sparkprop.train.Step;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * Gradient sums computed where the rows are: each step broadcasts the weights, every task
 * runs backprop over its partition's rows for that step and returns one partial
 * {@link GradientSum}, and a tree aggregation adds them up in partition order. Sums travel, not means; the
 * driver's {@link io.sparkprop.train.Trainer} divides by the m that came back.
 */
public final class SparkGradientSource implements GradientSource {
    private final TrainingBlocks data;
    private final Topology topology;
    private final int maxColumns;
    private final JavaSparkContext jsc;
    private final ShardTask.Decorator decorator;

    public SparkGradientSource(TrainingBlocks data, Topology topology, int maxColumns) {
        this(data, topology, maxColumns, ShardTask.Decorator.NONE);
    }

    /** With every task this source sends wrapped by {@code decorator}. */
    public SparkGradientSource(TrainingBlocks data, Topology topology, int maxColumns, ShardTask.Decorator decorator) {
        this.data = data;
        this.topology = topology;
        this.maxColumns = maxColumns;
        this.jsc = JavaSparkContext.fromSparkContext(data.rdd().context());
        this.decorator = decorator;
    }

    /** Partial sums merged at each level of the tree. */
    public static final int FAN_IN = 8;

    /** One level per factor of 8 partitions: the driver takes at most 8 partial sums at a time. */
    public static int aggregationDepth(int partitions) {
        int depth = 1;
        for (long reach = FAN_IN; reach < partitions; reach *= FAN_IN) {
            depth++;
        }
        return depth;
    }

    @Override
    public long rowCount() {
        return data.rowCount();
    }

    @Override
    public GradientSum gradient(double[] weights, Step step) {
        return aggregate(weights, (w, partition, shard, ws, sum) -> shard.accumulate(w, step, partition, ws, sum));
    }

    @Override
    public GradientSum evaluate(double[] weights) {
        return aggregate(weights, (w, partition, shard, ws, sum) -> shard.evaluate(w, ws, sum));
    }

    /**
     * One job: broadcast the weights, run {@code task} over every partition into one partial sum
     * each, add the partial sums in partition order (through a tree beyond {@link #FAN_IN}
     * partitions), and destroy the broadcast.
     */
    private GradientSum aggregate(double[] weights, ShardTask task) {
        Broadcast<WeightsMessage> bc = jsc.broadcast(new WeightsMessage(weights.clone()));
        try {
            PartitionSum perPartition = new PartitionSum(bc, topology, maxColumns, decorator.apply(task));
            int partitions = data.partitionCount();
            if (aggregationDepth(partitions) == 1) {
                // The driver takes every partial sum itself: one runJob with a named function
                // class, which Spark's closure cleaner skips (for a lambda it re-parses the
                // bytecode of the class that declared it, milliseconds on every step).
                GradientSum[] parts = (GradientSum[]) data.rdd().context().runJob(data.rdd().rdd(), perPartition,
                        ClassTag$.MODULE$.apply(GradientSum.class));
                // Indexed by partition: the same order every run. The first part is the driver's
                // own copy, so the others are added into it rather than into a fresh clone of it.
                GradientSum total = parts[0];
                for (int p = 1; p < parts.length; p++) {
                    total.merge(parts[p]);
                }
                return total;
            }
            JavaPairRDD<Integer, GradientSum> partials = data.rdd().mapPartitionsWithIndex(
                    (partition, blocks) -> List.of(new Tuple2<>(partition, perPartition.sum(partition, blocks)))
                            .iterator(), true).mapToPair(p -> p);
            return treeMerge(partials, partitions, topology.parameterCount());
        } finally {
            bc.destroy();
        }
    }

    /** A task's work: its partition's shard into one partial sum, with the step's weights. */
    private static final class PartitionSum
            extends AbstractFunction2<TaskContext, scala.collection.Iterator<Block>, GradientSum>
            implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final Broadcast<WeightsMessage> weights;
        private final Topology topology;
        private final int maxColumns;
        private final ShardTask task;

        PartitionSum(Broadcast<WeightsMessage> weights, Topology topology, int maxColumns, ShardTask task) {
            this.weights = weights;
            this.topology = topology;
            this.maxColumns = maxColumns;
            this.task = task;
        }

        @Override
        public GradientSum apply(TaskContext context, scala.collection.Iterator<Block> blocks) {
            return sum(context.partitionId(), SparkApiBridge.asJava(blocks));
        }

        GradientSum sum(int partition, Iterator<Block> blocks) {
            GradientSum sum = new GradientSum(topology.parameterCount());
            ShardWorkspace ws = ExecutorWorkspaces.get(topology, maxColumns);
            task.run(weights.value().values(), partition, new Shard(drain(blocks)), ws, sum);
            return sum;
        }
    }

    /**
     * A tree aggregation (as {@code treeAggregate}, {@link #aggregationDepth} levels) whose
     * additions happen in partition order at every level, wherever and whenever the tasks
     * finish: floating-point addition is not associative, and a retried or resumed run must
     * give bitwise the same sums.
     */
    static GradientSum treeMerge(JavaPairRDD<Integer, GradientSum> partials, int partitions, int parameterCount) {
        int level = partitions;
        for (int depth = aggregationDepth(partitions); depth > 1; depth--) {
            int groups = (level + FAN_IN - 1) / FAN_IN;
            partials = partials.mapToPair(p -> new Tuple2<>(p._1() / FAN_IN, p))
                    .groupByKey(groups)
                    .mapToPair(g -> new Tuple2<>(g._1(), mergeInOrder(g._2(), parameterCount)));
            level = groups;
        }
        return mergeInOrder(partials.collect(), parameterCount);
    }

    private static GradientSum mergeInOrder(Iterable<Tuple2<Integer, GradientSum>> parts, int parameterCount) {
        List<Tuple2<Integer, GradientSum>> sorted = new ArrayList<>();
        parts.forEach(sorted::add);
        sorted.sort(java.util.Comparator.comparing(Tuple2::_1));
        GradientSum total = new GradientSum(parameterCount);
        for (Tuple2<Integer, GradientSum> part : sorted) {
            total.merge(part._2());
        }
        return total;
    }

    private static List<Block> drain(Iterator<Block> blocks) {
        List<Block> list = new ArrayList<>();
        blocks.forEachRemaining(list::add);
        return list;
    }

    @Override
    public void close() {
        data.close();
    }
}
