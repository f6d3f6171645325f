package io.sparkprop.spark;

import io.sparkprop.nn.Block;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Topology;
import io.sparkprop.train.Shard;
import io.sparkprop.train.ShardWorkspace;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.spark.Partition;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.rdd.RDD;
import org.apache.spark.serializer.SerializerInstance;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The tasks of {@link ResidentTasks}: one per task slot, each serving a group of partitions of
 * the cached blocks (one partition when there are as many slots), reading them once and then
 * serving steps until the driver says stop. A task connects to the driver, proves it was sent by
 * this launch (the secret in the task), and loops: read a step's order ({@link StepWire}: a
 * {@link ShardTask} and the weights), run it over each of its partitions' rows into a partial
 * sum per partition (emptied and reused from step to step), send the sums back in that order.
 * The work of a step for a partition is exactly a {@link StepRDD} task's, so the sums are bitwise
 * the same; what goes is a job, its tasks and their launch per step. Each task's result is the number of steps it served.
 */
final class ResidentRDD extends RDD<Long> {
    private static final long serialVersionUID = 1L;
    private static final int CONNECT_TIMEOUT_MILLIS = 30_000;
    private static final ClassTag<ShardTask> TASK = ClassTag$.MODULE$.apply(ShardTask.class);

    private final int blocksId;
    private final int[][] groups;
    private final Topology topology;
    private final int maxColumns;
    private final String driverHost;
    private final int driverPort;
    private final byte[] secret;
    // On the driver only: where each task's partitions are cached, for placing it.
    private final transient List<scala.collection.immutable.List<String>> locations;

    /** Task i serves the partitions {@code groups[i]}, preferably where {@code locations.get(i)} says. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    ResidentRDD(RDD<Block> blocks, int[][] groups, List<scala.collection.immutable.List<String>> locations,
                Topology topology, int maxColumns, String driverHost, int driverPort, byte[] secret) {
        super(blocks.context(), (scala.collection.immutable.List) scala.collection.immutable.Nil$.MODULE$,
                ClassTag$.MODULE$.apply(Long.class));
        this.blocksId = blocks.id();
        this.groups = groups;
        this.locations = locations;
        this.topology = topology;
        this.maxColumns = maxColumns;
        this.driverHost = driverHost;
        this.driverPort = driverPort;
        this.secret = secret.clone();
    }

    @Override
    public Partition[] getPartitions() {
        Partition[] out = new Partition[groups.length];
        for (int i = 0; i < groups.length; i++) {
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
        int[] partitions = groups[index];
        Shard[] shards = new Shard[partitions.length];
        for (int i = 0; i < partitions.length; i++) {
            shards[i] = StepRDD.cachedShard(blocksId, partitions[i]);
        }
        ShardWorkspace ws = ExecutorWorkspaces.get(topology, maxColumns);
        SerializerInstance serializer = SparkEnv.get().closureSerializer().newInstance();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        long steps = 0;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(driverHost, driverPort), CONNECT_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(Frames.POLL_MILLIS);
            InputStream in = socket.getInputStream();
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            DataOutputStream hello = new DataOutputStream(out);
            hello.write(secret);
            hello.writeInt(index);
            hello.flush();
            Frames.Peer driver = () -> {
                if (context.isInterrupted()) {
                    throw new TaskKilledException("the driver cancelled the step tasks");
                }
            };
            Frames.Inbox inbox = new Frames.Inbox();
            byte[] scratch = StepWire.sumScratch();
            GradientSum[] sums = new GradientSum[partitions.length]; // kept from step to step, as the weights
            double[] w = null;
            for (ByteBuffer order; (order = inbox.read(in, driver)) != null; steps++) {
                ShardTask task = serializer.deserialize(StepWire.orderTask(order), loader, TASK);
                w = StepWire.orderWeights(order, w);
                for (int i = 0; i < partitions.length; i++) {
                    if (sums[i] == null) {
                        sums[i] = new GradientSum(topology.parameterCount());
                    }
                    sums[i].clear();
                    task.run(w, partitions[i], shards[i], ws, sums[i]);
                    StepWire.writeSum(out, sums[i], scratch);
                    out.flush();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("step task " + index + ": the connection to the driver at "
                    + driverHost + ":" + driverPort + " failed after " + steps + " steps", e);
        }
        return scala.collection.Iterator$.MODULE$.single(steps);
    }

    private record Index(int index) implements Partition {
        @Override
        public int hashCode() {
            return index;
        }
    }
}
