package io.sparkprop.spark;

import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Precision;
import io.sparkprop.nn.Topology;
import io.sparkprop.train.GradientSource;
import io.sparkprop.train.Step;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * Gradient sums computed where the rows are: each step sends the weights out (inside the tasks
 * or as a broadcast, {@link #weightsInTasks}), every task runs backprop over its partition's rows
 * for that step and returns one partial {@link GradientSum}, and a tree aggregation adds them up
 * in partition order. Sums travel, not means; the driver's {@link io.sparkprop.train.Trainer}
 * divides by the m that came back.
 */
public final class SparkGradientSource implements GradientSource {
    private final TrainingBlocks data;
    private final Topology topology;
    private final int maxColumns;
    private final JavaSparkContext jsc;
    private final ShardTask.Decorator decorator;
    private final long inTaskWeightBytes;

    /** The cached rows it runs on. */
    TrainingBlocks data() {
        return data;
    }

    public SparkGradientSource(TrainingBlocks data, Topology topology, int maxColumns) {
        this(data, topology, maxColumns, ShardTask.Decorator.NONE);
    }

    /** With every task this source sends wrapped by {@code decorator}. */
    public SparkGradientSource(TrainingBlocks data, Topology topology, int maxColumns, ShardTask.Decorator decorator) {
        this(data, topology, maxColumns, decorator, IN_TASK_WEIGHT_BYTES);
    }

    /** As above, with another limit for weights inside the tasks (0: always a broadcast). */
    SparkGradientSource(TrainingBlocks data, Topology topology, int maxColumns, ShardTask.Decorator decorator,
                        long inTaskWeightBytes) {
        this.data = data;
        this.topology = topology;
        this.maxColumns = maxColumns;
        this.jsc = JavaSparkContext.fromSparkContext(data.rdd().context());
        this.decorator = decorator;
        this.inTaskWeightBytes = inTaskWeightBytes;
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
        return aggregate(weights, ShardTask.gradient(step));
    }

    @Override
    public GradientSum evaluate(double[] weights) {
        return aggregate(weights, ShardTask.evaluate());
    }

    /**
     * Weights up to this many bytes over all of a step's tasks travel inside the tasks; beyond
     * it, as a broadcast. A task's launch message is one send from the driver with no round trip,
     * but it goes once per task, while a broadcast is fetched once per executor, from the driver
     * or from executors that already have it. 64 MiB puts the Fashion-MNIST network (1.9 MB) in
     * the tasks up to 35 partitions, and a network ten times wider always in a broadcast.
     */
    public static final long IN_TASK_WEIGHT_BYTES = 64L << 20;

    /** Whether a step over {@code partitions} partitions sends {@code parameters} weights inside its tasks. */
    public static boolean weightsInTasks(int partitions, long parameters) {
        return weightsInTasks(partitions, parameters, IN_TASK_WEIGHT_BYTES);
    }

    private static boolean weightsInTasks(int partitions, long parameters, long limit) {
        return (long) partitions * parameters * Double.BYTES <= limit;
    }

    /**
     * One job: run {@code task} over every partition at these weights into one partial sum each
     * ({@link StepRDD}), and add the partial sums in partition order (through a tree beyond
     * {@link #FAN_IN} partitions).
     */
    private GradientSum aggregate(double[] weights, ShardTask task) {
        for (int attempt = 1; ; attempt++) {
            try {
                return aggregateOnce(weights, task);
            } catch (Exception e) { // a failed job throws SparkException, checked in Java, undeclared by Scala
                // A lost executor took cached blocks with it: cache them again from their lineage
                // and repeat the step, which gives the same sums. Twice in a row means they
                // cannot be kept (an executor lost on every step): fail with the reason.
                if (attempt == MAX_STEP_ATTEMPTS || TrainingBlocks.findCause(e, StepRDD.CachedBlocksLost.class) == null) {
                    throw SparkGradientSource.<RuntimeException>unchanged(e);
                }
                data.recache();
            }
        }
    }

    /** Throws {@code e} as it is, checked or not, as the job that failed threw it. */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> E unchanged(Exception e) throws E {
        throw (E) e;
    }

    /** Tries of a step whose cached blocks went missing. */
    private static final int MAX_STEP_ATTEMPTS = 3;

    private GradientSum aggregateOnce(double[] weights, ShardTask task) {
        int partitions = data.partitionCount();
        boolean asFloats = data.precision() == Precision.FLOAT32;
        Broadcast<WeightsMessage> bc = weightsInTasks(partitions, weights.length, inTaskWeightBytes)
                ? null : jsc.broadcast(new WeightsMessage(weights.clone(), asFloats));
        try {
            StepRDD.StepWeights stepWeights = bc == null
                    ? new StepRDD.InTask(weights.clone(), asFloats) : new StepRDD.Broadcasted(bc);
            StepRDD sums = new StepRDD(data.rdd().rdd(), stepWeights, topology, maxColumns, decorator.apply(task));
            if (aggregationDepth(partitions) == 1) {
                // The driver takes every partial sum itself: one runJob with a named function
                // class, which Spark's closure cleaner skips (for a lambda it re-parses the
                // bytecode of the class that declared it, milliseconds on every step).
                GradientSum[] parts = (GradientSum[]) data.rdd().context().runJob(sums, new OnlySum(),
                        ClassTag$.MODULE$.apply(GradientSum.class));
                // Indexed by partition: the same order every run. The first part is the driver's
                // own copy, so the others are added into it rather than into a fresh clone of it.
                return mergeAsTree(parts);
            }
            JavaPairRDD<Integer, GradientSum> partials = sums.toJavaRDD().mapPartitionsWithIndex(
                    (partition, sum) -> List.of(new Tuple2<>(partition, sum.next())).iterator(), true)
                    .mapToPair(p -> p);
            return treeMerge(partials, partitions, topology.parameterCount());
        } finally {
            if (bc != null) {
                bc.destroy();
            }
        }
    }

    /** A task's result: the one partial sum its partition of a {@link StepRDD} holds. */
    private static final class OnlySum
            extends AbstractFunction2<TaskContext, scala.collection.Iterator<GradientSum>, GradientSum>
            implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public GradientSum apply(TaskContext context, scala.collection.Iterator<GradientSum> sum) {
            return sum.next();
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

    /**
     * The partial sums of partitions 0..P-1, added as {@link #treeMerge} adds them (groups of
     * {@link #FAN_IN} at each level, in partition order), and as the depth-one path of
     * {@link #aggregateOnce} does (into the first part): bitwise the total of a job a step. It
     * adds into the parts themselves and returns one of them (or a new sum if none has rows), so
     * that a caller that reuses the parts' arrays allocates none.
     */
    static GradientSum mergeAsTree(GradientSum[] parts) {
        if (aggregationDepth(parts.length) == 1) {
            GradientSum total = parts[0];
            for (int p = 1; p < parts.length; p++) {
                total.merge(parts[p]);
            }
            return total;
        }
        List<GradientSum> level = List.of(parts);
        for (int depth = aggregationDepth(parts.length); depth > 1; depth--) {
            List<GradientSum> next = new ArrayList<>();
            for (int from = 0; from < level.size(); from += FAN_IN) {
                next.add(mergeIntoFirst(level.subList(from, Math.min(level.size(), from + FAN_IN))));
            }
            level = next;
        }
        return mergeIntoFirst(level);
    }

    /**
     * {@link #mergeInOrder} of parts already in order, added into the first that has rows rather
     * than into a new sum: the same values, as {@link GradientSum#merge} skips parts without rows
     * and makes a new sum an exact copy of the first part it takes.
     */
    private static GradientSum mergeIntoFirst(List<GradientSum> ordered) {
        GradientSum total = null;
        for (GradientSum part : ordered) {
            if (total != null) {
                total.merge(part);
            } else if (part.count() > 0) {
                total = part;
            }
        }
        return total != null ? total : new GradientSum(ordered.get(0).parameterCount());
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

    @Override
    public void close() {
        data.close();
    }
}
