package io.sparkprop.spark;

import io.sparkprop.nn.Block;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Topology;
import io.sparkprop.train.Shard;
import io.sparkprop.train.ShardWorkspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.apache.spark.Partition;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.rdd.RDD;
import org.apache.spark.serializer.SerializerInstance;
import scala.reflect.ClassTag$;

/**
 * The tasks of {@link ResidentTasks}: one per task slot, each serving a group of partitions of
 * the cached training blocks (one partition when there are as many slots), and of the validation
 * blocks when there are, reading them once and then serving steps until the driver says stop. A
 * task connects to the driver, proves it was sent by this launch (the secret in the task), and
 * loops: read a step's order ({@link StepWire}: a {@link ShardTask}, which set of partitions, the
 * weights), run it over each of those partitions' rows into a partial sum per partition (emptied
 * and reused from step to step), send the sums back in that order. The work of a step for a
 * partition is exactly a {@link StepRDD} task's, so the sums are bitwise the same; what goes is a
 * job, its tasks and their launch per step. Each task's result is the number of steps it served.
 */
final class ResidentRDD extends RDD<Long> {
    private static final long serialVersionUID = 1L;
    private static final int CONNECT_TIMEOUT_MILLIS = 30_000;

    private final Served[] served;
    private final Topology topology;
    private final int maxColumns;
    private final String driverHost;
    private final int driverPort;
    private final byte[] secret;
    // On the driver only: where each task's partitions are cached, for placing it.
    private final transient List<scala.collection.immutable.List<String>> locations;

    /**
     * One cached blocks RDD the tasks serve: task i serves its partitions {@code groups[i]}. A
     * step's order names the set by its index: 0 the training blocks, 1 the validation blocks.
     */
    record Served(int blocksId, int[][] groups) implements java.io.Serializable {
        Served(RDD<Block> blocks, int[][] groups) {
            this(blocks.id(), groups);
        }
    }

    /**
     * Task i serves {@code served[s].groups[i]} of each set s, preferably where
     * {@code locations.get(i)} says.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    ResidentRDD(org.apache.spark.SparkContext sc, Served[] served,
                List<scala.collection.immutable.List<String>> locations, Topology topology, int maxColumns,
                String driverHost, int driverPort, byte[] secret) {
        super(sc, (scala.collection.immutable.List) scala.collection.immutable.Nil$.MODULE$,
                ClassTag$.MODULE$.apply(Long.class));
        this.served = served;
        this.locations = locations;
        this.topology = topology;
        this.maxColumns = maxColumns;
        this.driverHost = driverHost;
        this.driverPort = driverPort;
        this.secret = secret.clone();
    }

    @Override
    public Partition[] getPartitions() {
        Partition[] out = new Partition[served[0].groups().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Index(i);
        }
        return out;
    }

    @Override
    public scala.collection.immutable.List<String> getPreferredLocations(Partition split) {
        return locations.get(split.index());
    }

    @Override
    public scala.collection.Iterator<Long> compute(Partition split, TaskContext context) {
        int index = split.index();
        Shard[][] shards = new Shard[served.length][];
        for (int set = 0; set < served.length; set++) {
            int[] partitions = served[set].groups()[index];
            shards[set] = new Shard[partitions.length];
            for (int i = 0; i < partitions.length; i++) {
                shards[set][i] = StepRDD.cachedShard(served[set].blocksId(), partitions[i]);
            }
        }
        ShardWorkspace ws = ExecutorWorkspaces.get(topology, maxColumns);
        SerializerInstance serializer = SparkEnv.get().closureSerializer().newInstance();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        long steps = 0;
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.socket().connect(new InetSocketAddress(driverHost, driverPort), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("step task " + index + ": could not connect to the driver at "
                    + driverHost + ":" + driverPort, e);
        }
        Frames.Peer driver = () -> {
            if (context.isInterrupted()) {
                throw new TaskKilledException("the driver cancelled the step tasks");
            }
        };
        try (Frames.Link link = new Frames.Link(channel)) {
            ByteBuffer hello = ByteBuffer.allocate(secret.length + Integer.BYTES).put(secret).putInt(index);
            link.writeRaw(hello.flip(), driver);
            StepWire.SumScratch scratch = new StepWire.SumScratch();
            GradientSum[][] sums = new GradientSum[served.length][]; // kept from step to step, as the weights
            double[] w = null;
            for (ByteBuffer order; (order = link.read(driver)) != null; steps++) {
                ShardTask task = StepWire.orderTask(order, serializer, loader);
                int set = StepWire.orderSet(order, served.length);
                int[] partitions = served[set].groups()[index];
                w = StepWire.orderWeights(order, w, ws);
                if (sums[set] == null) {
                    sums[set] = new GradientSum[partitions.length];
                }
                for (int i = 0; i < partitions.length; i++) {
                    if (sums[set][i] == null) {
                        sums[set][i] = new GradientSum(topology.parameterCount());
                    }
                    GradientSum sum = sums[set][i];
                    task.run(w, partitions[i], shards[set][i], ws, sum);
                    link.write(StepWire.sum(sum, scratch), driver);
                    sum.clear(); // emptied while the driver updates, not when the next order is here
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("step task " + index + ": the connection to the driver at "
                    + driverHost + ":" + driverPort + " failed after " + steps + " steps", e);
        }
        return scala.collection.Iterator$.MODULE$.single(steps);
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // the connection failed already; closing is all that was asked
            }
        }
    }

    private record Index(int index) implements Partition {
        @Override
        public int hashCode() {
            return index;
        }
    }
}
