package io.sparkprop.spark;

import io.sparkprop.nn.Block;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Topology;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.rdd.RDD;
import org.apache.spark.serializer.SerializerInstance;

/**
 * One Spark job whose tasks outlive a step: a task per task slot, each serving a group of the
 * cached blocks' partitions ({@link ResidentRDD}) and connected to the driver by a socket, served
 * one step after another, and the validation rows when launched with them. A step writes the same
 * order (task, set and weights) to every connection and reads back one partial sum per partition
 * of that set ({@link StepWire}), to be added in partition order. No job, stage or task is
 * scheduled per step; Spark still places the tasks (where the blocks are), restarts nothing by
 * itself (a lost task ends the whole job, see {@link ResidentGradientSource}) and shows the job in
 * its UI while it runs.
 *
 * <p>The driver listens on {@code spark.driver.bindAddress} (else {@code spark.driver.host}) on a
 * port of the system's choosing, and only while the tasks connect; a connection counts only once
 * it has sent the launch's secret, which travels inside the tasks as Spark sends them.
 */
final class ResidentTasks implements AutoCloseable {
    private static final int SECRET_BYTES = 32;
    /** How the step tasks' job starts its description in Spark's UI. */
    static final String JOB_DESCRIPTION = "sparkprop step tasks";

    /** The sets of partitions the tasks serve: {@link #TRAINING}, and {@link #VALIDATION} when launched with it. */
    static final int TRAINING = 0;
    static final int VALIDATION = 1;

    private final Connection[] connections;
    private final int[][][] groups;   // groups[set][task]: the partitions of that set the task serves
    private final int[] partitions;   // partitions[set]: how many that set has
    private final int parameterCount;
    private final JavaFutureAction<List<Long>> job;
    private final SerializerInstance serializer;
    private ByteBuffer order; // the last step's order, its buffer reused for the next
    private float[] rounded;  // a float32 order's weights, rounded before they go into it
    // received[p]: partition p's sums as they came back, the arrays reused from step to step. New
    // arrays each step (two gradient-sized ones in the Fashion-MNIST job) kept the driver's young
    // generation growing, and on executor JVMs whole epochs were a third slower, the time spent in
    // readSum (docs/SCALING.md, "Below the floor").
    private final double[][] received;
    // Writes the orders, a thread per task: all at once, and never blocking the driver's thread
    // on a task whose host vanished without closing its connection.
    private final java.util.concurrent.ExecutorService writers;

    private ResidentTasks(Connection[] connections, int[][][] groups, int[] partitions, int parameterCount,
                          JavaFutureAction<List<Long>> job) {
        this.connections = connections;
        this.groups = groups;
        this.partitions = partitions;
        this.parameterCount = parameterCount;
        this.received = new double[java.util.Arrays.stream(partitions).max().orElse(0)][];
        this.job = job;
        this.serializer = SparkEnv.get().closureSerializer().newInstance();
        this.writers = java.util.concurrent.Executors.newFixedThreadPool(connections.length, runnable -> {
            Thread thread = new Thread(runnable, "sparkprop: writing step orders");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Why the step tasks cannot run here at all; steps go back to a job each. */
    static final class CannotLaunch extends Exception {
        private static final long serialVersionUID = 1L;

        CannotLaunch(String why, Throwable cause) {
            super(why, cause);
        }
    }

    /** The step tasks, or a connection to one, were lost; a launch anew may succeed. */
    static final class Lost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Lost(String what, Throwable cause) {
            super(what, cause);
        }
    }

    /** Free task slots for the default resource profile, as the scheduler counts them now. */
    static int taskSlots(SparkContext sc) {
        return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
    }

    /**
     * Starts a task per task slot (at most one per partition of {@code data}), each serving its
     * group of {@code data}'s partitions and, when {@code validation} is not null, a group of
     * those too, and waits until each has connected; with {@code waitForTasks} above the slots
     * there are, it first waits up to {@code timeoutMillis} for that many. A job that fails before
     * then with its blocks gone is {@link Lost} (cache them again, launch again); one that fails
     * otherwise, or does not connect within {@code timeoutMillis}, cannot run here. The tasks are
     * sent the secret {@code sentSecret} makes from the driver's (the identity, but for tests).
     */
    static ResidentTasks launch(TrainingBlocks data, TrainingBlocks validation, Topology topology, int maxColumns,
                                long timeoutMillis, int waitForTasks,
                                java.util.function.UnaryOperator<byte[]> sentSecret)
            throws CannotLaunch {
        SparkContext sc = data.rdd().context();
        int partitions = data.partitionCount();
        long slotDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int slots = taskSlots(sc);
        // After a lost executor, wait a while for its replacement: tasks started without it would
        // leave it idle until the next pause.
        while (slots < Math.max(1, waitForTasks) && System.nanoTime() < slotDeadline) {
            sleep(Frames.POLL_MILLIS);
            slots = taskSlots(sc);
        }
        if (slots < 1) {
            throw new CannotLaunch("no task slots within " + timeoutMillis + " ms", null);
        }
        int[][] trainingGroups = groups(data.rdd().rdd(), data.partitionRows(), Math.min(partitions, slots));
        int tasksToStart = trainingGroups.length;
        // Validation rows go where they fit the load, not where they are cached: read once a launch.
        int[][][] groups = validation == null ? new int[][][] {trainingGroups}
                : new int[][][] {trainingGroups, groups(validation.rdd().rdd(), validation.partitionRows(),
                        tasksToStart)};
        int[] partitionsBySet = validation == null ? new int[] {partitions}
                : new int[] {partitions, validation.partitionCount()};
        String host = sc.getConf().get("spark.driver.host");
        String bind = sc.getConf().get("spark.driver.bindAddress", host);
        byte[] secret = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        Connection[] connections = new Connection[tasksToStart];
        JavaFutureAction<List<Long>> job = null;
        try (ServerSocketChannel server = ServerSocketChannel.open(); Selector accepting = Selector.open()) {
            server.bind(new InetSocketAddress(bind, 0), tasksToStart);
            server.configureBlocking(false);
            server.register(accepting, SelectionKey.OP_ACCEPT);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            ResidentRDD.Served[] served = new ResidentRDD.Served[groups.length];
            served[TRAINING] = new ResidentRDD.Served(data.rdd().rdd(), trainingGroups);
            if (validation != null) {
                served[VALIDATION] = new ResidentRDD.Served(validation.rdd().rdd(), groups[VALIDATION]);
            }
            ResidentRDD tasks = new ResidentRDD(sc, served, locations(data.rdd().rdd(), trainingGroups), topology,
                    maxColumns, host, port, sentSecret.apply(secret.clone()));
            job = submit(sc, tasks);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            int connected = 0;
            while (connected < tasksToStart) {
                if (job.isDone()) {
                    Throwable why = failure(job);
                    if (TrainingBlocks.findCause(why, StepRDD.CachedBlocksLost.class) != null) {
                        throw new Lost("a step task found its cached blocks gone", why);
                    }
                    throw new CannotLaunch("the step tasks ended before all connected: " + why, why);
                }
                if (System.nanoTime() > deadline) {
                    throw new CannotLaunch(connected + " of " + tasksToStart + " step tasks connected to " + host
                            + " within " + timeoutMillis + " ms", null);
                }
                SocketChannel accepted = server.accept();
                if (accepted == null) {
                    accepting.select(Frames.POLL_MILLIS);
                    accepting.selectedKeys().clear();
                    continue;
                }
                Frames.Link link = new Frames.Link(accepted);
                // a connection that says nothing holds up the others for a few seconds at most
                int index = greeting(link, secret, tasksToStart,
                        Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(GREETING_SECONDS)));
                if (index < 0 || connections[index] != null) {
                    link.close(); // not one of ours, or a second attempt of a task already connected
                    continue;
                }
                connections[index] = new Connection(link);
                connected++;
            }
            return new ResidentTasks(connections, groups, partitionsBySet, topology.parameterCount(), job);
        } catch (IOException e) {
            abandon(connections, job);
            throw new CannotLaunch("the driver could not listen for step tasks on " + bind + ": " + e, e);
        } catch (CannotLaunch | RuntimeException e) {
            abandon(connections, job);
            throw e;
        }
    }

    private static void sleep(long millis) throws CannotLaunch {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CannotLaunch("interrupted while waiting for task slots", e);
        }
    }

    private static JavaFutureAction<List<Long>> submit(SparkContext sc, ResidentRDD tasks) {
        // The job is submitted from this thread and takes its description; the step's own goes back after.
        String description = sc.getLocalProperty("spark.job.description");
        String from = description != null && description.startsWith("sparkprop epoch ")
                ? "from " + description.substring("sparkprop ".length()) + " on, " : "";
        sc.setJobDescription(JOB_DESCRIPTION + " (" + from + "a task per slot, serving steps until training ends"
                + " or pauses)");
        try {
            return tasks.toJavaRDD().collectAsync();
        } finally {
            sc.setJobDescription(description);
        }
    }

    /** How many tasks serve the steps. */
    int taskCount() {
        return connections.length;
    }

    /**
     * The partitions each of {@code tasks} tasks serves, each group in partition order. The
     * largest partitions go first, each to the task with the fewest rows so far (a step's time is
     * its busiest task's); among tasks within a quarter of the partition's rows of that, to one
     * whose partitions are cached where this one is, so that a task reads its rows locally where
     * the cache allows. With a task per partition, task i serves partition i.
     */
    static int[][] groups(RDD<Block> blocks, long[] rows, int tasks) {
        int partitions = rows.length;
        if (tasks == partitions) {
            int[][] one = new int[tasks][];
            for (int p = 0; p < partitions; p++) {
                one[p] = new int[] {p};
            }
            return one;
        }
        String[] where = new String[partitions];
        for (int p = 0; p < partitions; p++) {
            scala.collection.immutable.List<String> cached = StepRDD.cachedLocations(blocks, p);
            where[p] = cached.isEmpty() ? "" : cached.head();
        }
        Integer[] largestFirst = new Integer[partitions];
        for (int p = 0; p < partitions; p++) {
            largestFirst[p] = p;
        }
        java.util.Arrays.sort(largestFirst, java.util.Comparator.<Integer>comparingLong(p -> -rows[p])
                .thenComparing(p -> p));
        long[] load = new long[tasks];
        String[] home = new String[tasks];
        List<List<Integer>> members = new java.util.ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            members.add(new java.util.ArrayList<>());
        }
        for (int p : largestFirst) {
            long least = java.util.Arrays.stream(load).min().orElse(0);
            int chosen = -1;
            for (int t = 0; t < tasks; t++) {
                if (load[t] > least + rows[p] / 4) {
                    continue;
                }
                if (chosen < 0 || rank(home[t], where[p]) < rank(home[chosen], where[p])
                        || rank(home[t], where[p]) == rank(home[chosen], where[p]) && load[t] < load[chosen]) {
                    chosen = t;
                }
            }
            members.get(chosen).add(p);
            load[chosen] += rows[p];
            if (home[chosen] == null) {
                home[chosen] = where[p];
            }
        }
        int[][] groups = new int[tasks][];
        for (int t = 0; t < tasks; t++) {
            groups[t] = members.get(t).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        return groups;
    }

    /** 0: the task's partitions are cached where this one is; 1: it has none yet; 2: elsewhere. */
    private static int rank(String taskHome, String partitionPlace) {
        return taskHome == null ? 1 : taskHome.equals(partitionPlace) ? 0 : 2;
    }

    /** Where each group's partitions are cached, the most of them first. */
    private static List<scala.collection.immutable.List<String>> locations(RDD<Block> blocks, int[][] groups) {
        List<scala.collection.immutable.List<String>> out = new java.util.ArrayList<>();
        for (int[] group : groups) {
            java.util.Map<String, Integer> count = new java.util.HashMap<>();
            for (int p : group) {
                SparkApiBridge.asJava(StepRDD.cachedLocations(blocks, p).iterator())
                        .forEachRemaining(place -> count.merge(place, 1, Integer::sum));
            }
            List<String> places = new java.util.ArrayList<>(count.keySet());
            places.sort(java.util.Comparator.<String, Integer>comparing(count::get).reversed()
                    .thenComparing(place -> place));
            out.add(SparkApiBridge.asScalaList(places));
        }
        return out;
    }

    /** The task a new connection says it is, or -1 when it does not know the secret. */
    private static int greeting(Frames.Link link, byte[] secret, int tasks, long deadline) {
        ByteBuffer hello = ByteBuffer.allocate(SECRET_BYTES + Integer.BYTES);
        try {
            link.readFully(hello, () -> {
                if (System.nanoTime() > deadline) {
                    throw new IOException("no greeting before the deadline");
                }
            });
        } catch (IOException e) {
            return -1;
        }
        byte[] theirs = new byte[SECRET_BYTES];
        hello.flip().get(theirs);
        int index = hello.getInt();
        return MessageDigest.isEqual(secret, theirs) && index >= 0 && index < tasks ? index : -1;
    }

    /**
     * The partial sums of every partition of {@code set} for {@code task} at {@code weights} (sent
     * as float32 when {@code asFloats}), added in the order a job a step adds them
     * ({@link SparkGradientSource#mergeAsTree}), so both give bitwise the same total. The total
     * holds arrays this object reuses: it is the caller's until the next step.
     */
    GradientSum step(ShardTask task, int set, double[] weights, boolean asFloats) {
        if (partitions[set] == 0) {
            return new GradientSum(parameterCount);
        }
        if (asFloats && (rounded == null || rounded.length != weights.length)) {
            rounded = new float[weights.length];
        }
        order = StepWire.order(StepWire.taskCode(task, serializer), set, weights, asFloats ? rounded : null, order);
        ByteBuffer sent = order;
        java.util.List<java.util.concurrent.Future<?>> writes = new java.util.ArrayList<>();
        for (Connection c : connections) {
            writes.add(writers.submit(() -> {
                c.link.write(sent.duplicate(), Frames.PATIENT); // the driver's thread checks on the tasks
                return null;
            }));
        }
        Frames.Peer tasks = () -> {
            if (job.isDone()) {
                throw new IOException("the step tasks' job ended: " + failure(job));
            }
        };
        for (int t = 0; t < connections.length; t++) {
            awaitWrite(writes.get(t), t, tasks);
        }
        GradientSum[] parts = new GradientSum[partitions[set]];
        for (int t = 0; t < connections.length; t++) {
            for (int p : groups[set][t]) {
                try {
                    ByteBuffer sum = connections[t].link.read(tasks);
                    if (sum == null) {
                        throw new IOException("the task said stop");
                    }
                    parts[p] = StepWire.readSum(sum, parameterCount, received[p]);
                    if (parts[p].hasSums()) {
                        received[p] = parts[p].sums();
                    }
                } catch (IOException e) {
                    throw new Lost("step task " + t + " did not return the sums of partition " + p, e);
                }
            }
        }
        return SparkGradientSource.mergeAsTree(parts);
    }

    /** Waits for an order's write to task {@code t}, checking between polls that the tasks still run. */
    static void awaitWrite(java.util.concurrent.Future<?> write, int t, Frames.Peer tasks) {
        while (true) {
            try {
                write.get(Frames.POLL_MILLIS, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                try {
                    tasks.checkAlive();
                } catch (IOException gone) {
                    throw new Lost("sending a step to step task " + t + " failed", gone);
                }
            } catch (ExecutionException e) {
                throw new Lost("sending a step to step task " + t + " failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Lost("interrupted while sending a step to step task " + t, e);
            }
        }
    }

    /** Tells every task to stop and waits until the job has ended, so that its task slots are free again. */
    @Override
    public void close() {
        for (Connection c : connections) {
            // on the writers too: a write still blocked on that connection holds its stream
            writers.submit(() -> {
                c.link.writeStop(Frames.PATIENT);
                return null; // a task gone already fails this write; the job's end below says how
            });
        }
        try {
            job.get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // a task that had failed already, or one that does not answer: cancel what is left
        } finally {
            abandon(connections, job);
            writers.shutdownNow(); // a write still blocked ended when its socket closed
        }
    }

    private static final long STOP_WAIT_SECONDS = 30;
    private static final long GREETING_SECONDS = 5;

    /** Closes every connection and cancels the job, then waits for its end (its slots come free then). */
    private static void abandon(Connection[] connections, JavaFutureAction<List<Long>> job) {
        for (Connection c : connections) {
            if (c != null) {
                c.closeQuietly();
            }
        }
        if (job != null && !job.isDone()) {
            job.cancel(true);
            try {
                job.get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                // cancelled, as asked
            }
        }
    }

    private static Throwable failure(JavaFutureAction<?> job) {
        try {
            job.get();
            return new IllegalStateException("the job finished");
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    private static final class Connection {
        final Frames.Link link;

        Connection(Frames.Link link) {
            this.link = link;
        }

        void closeQuietly() {
            link.close();
        }
    }
}
