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
import org.apache.spark.Partition;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.rdd.RDD;
import org.apache.spark.serializer.SerializerInstance;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The tasks of {@link ResidentTasks}: one per partition of the cached blocks, each reading its
 * partition once and then serving steps until the driver says stop. A task connects to the
 * driver, proves it was sent by this launch (the secret in the task), and loops: read a step's
 * {@link StepOrder} (a {@link ShardTask} and the weights), run it over the partition's rows into a
 * fresh partial sum, send the sum back. The work of a step is exactly a {@link StepRDD} task's,
 * so the sums are bitwise the same; what goes is a job, its tasks and their launch per step.
 * Each task's result is the number of steps it served.
 */
final class ResidentRDD extends RDD<Long> {
    private static final long serialVersionUID = 1L;
    private static final int CONNECT_TIMEOUT_MILLIS = 30_000;
    private static final ClassTag<StepOrder> ORDER = ClassTag$.MODULE$.apply(StepOrder.class);
    private static final ClassTag<GradientSum> SUM = ClassTag$.MODULE$.apply(GradientSum.class);

    private final int blocksId;
    private final int partitionCount;
    private final Topology topology;
    private final int maxColumns;
    private final String driverHost;
    private final int driverPort;
    private final byte[] secret;
    // On the driver only: where the cached blocks are, for placing the tasks.
    private final transient RDD<Block> blocks;

    @SuppressWarnings({"unchecked", "rawtypes"})
    ResidentRDD(RDD<Block> blocks, Topology topology, int maxColumns, String driverHost, int driverPort,
                byte[] secret) {
        super(blocks.context(), (scala.collection.immutable.List) scala.collection.immutable.Nil$.MODULE$,
                ClassTag$.MODULE$.apply(Long.class));
        this.blocks = blocks;
        this.blocksId = blocks.id();
        this.partitionCount = blocks.getNumPartitions();
        this.topology = topology;
        this.maxColumns = maxColumns;
        this.driverHost = driverHost;
        this.driverPort = driverPort;
        this.secret = secret.clone();
    }

    @Override
    public Partition[] getPartitions() {
        Partition[] out = new Partition[partitionCount];
        for (int i = 0; i < partitionCount; i++) {
            out[i] = new Index(i);
        }
        return out;
    }

    @Override
    public scala.collection.immutable.List<String> getPreferredLocations(Partition split) {
        return StepRDD.cachedLocations(blocks, split.index());
    }

    @Override
    public scala.collection.Iterator<Long> compute(Partition split, TaskContext context) {
        int index = split.index();
        Shard shard = StepRDD.cachedShard(blocksId, index);
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
            for (ByteBuffer message; (message = Frames.read(in, driver)) != null; steps++) {
                StepOrder order = serializer.deserialize(message, loader, ORDER);
                GradientSum sum = new GradientSum(topology.parameterCount());
                order.task().run(order.weights().values(), index, shard, ws, sum);
                Frames.write(out, serializer.serialize(sum, SUM));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("step task of partition " + index + ": the connection to the driver at "
                    + driverHost + ":" + driverPort + " failed after " + steps + " steps", e);
        }
        return scala.collection.Iterator$.MODULE$.single(steps);
    }

    /** What the driver sends each step: the work and the weights to do it at. */
    record StepOrder(ShardTask task, WeightsMessage weights) implements java.io.Serializable {
    }

    private record Index(int index) implements Partition {
        @Override
        public int hashCode() {
            return index;
        }
    }
}
