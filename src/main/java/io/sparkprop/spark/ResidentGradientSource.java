package io.sparkprop.spark;

import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Precision;
import io.sparkprop.nn.Topology;
import io.sparkprop.train.GradientSource;
import io.sparkprop.train.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gradient sums from step tasks that outlive a step ({@link ResidentTasks}): the same work as
 * {@link SparkGradientSource}, the same sums bit for bit, without a Spark job per step. A job
 * costs tens of milliseconds on executor JVMs whatever it computes, which at 30 steps an epoch
 * is most of a small network's epoch; a step here costs a send and a receive per task.
 *
 * <p>There is a task per task slot, up to one per partition; with fewer slots than partitions a
 * task serves several partitions, each into its own partial sum, so the sums stay those of a job
 * a step. The same tasks evaluate the validation rows, when given them ({@link #validating}). They
 * hold every task slot while they run, so they stop whenever another job starts on the context
 * (from this thread between steps, such as a listener's; or from another thread, which then
 * waits until the current step is done), and start again at the next step. When they cannot run
 * here at all (executors that cannot reach the driver) the steps go to a job each, with a warning
 * that says why. A lost task (a lost executor) ends them all: the step is repeated on tasks
 * launched anew, after the blocks that went with it are cached again, and gives the same sums.
 */
public final class ResidentGradientSource implements GradientSource {
    private static final Logger LOG = LoggerFactory.getLogger(ResidentGradientSource.class);
    /** How long the tasks may take to start and connect before the steps go to a job each. */
    static final long LAUNCH_TIMEOUT_MILLIS = 60_000;
    /** Tries of a step whose tasks were lost (a launch, a loss, caching again, a launch). */
    private static final int MAX_STEP_ATTEMPTS = 4;

    private final TrainingBlocks data;
    // The validation rows (validation.data()), served by the same tasks once validating() says so;
    // the source itself is their fallback, a job an evaluation.
    private volatile SparkGradientSource validation;
    private final Topology topology;
    private final int maxColumns;
    private final ShardTask.Decorator decorator;
    private final SparkGradientSource jobPerStep;
    private final long launchTimeoutMillis;
    private final java.util.function.UnaryOperator<byte[]> sentSecret;
    private final java.util.concurrent.locks.ReentrantLock stepping = new java.util.concurrent.locks.ReentrantLock(true);
    private volatile ResidentTasks tasks;
    private volatile String fallbackReason;
    private int taskCount;
    private final OtherJobs otherJobs = new OtherJobs();

    public ResidentGradientSource(TrainingBlocks data, Topology topology, int maxColumns) {
        this(data, topology, maxColumns, ShardTask.Decorator.NONE);
    }

    /** With every task this source sends wrapped by {@code decorator}, in either way of running steps. */
    public ResidentGradientSource(TrainingBlocks data, Topology topology, int maxColumns,
                                  ShardTask.Decorator decorator) {
        this(data, topology, maxColumns, decorator, LAUNCH_TIMEOUT_MILLIS, secret -> secret);
    }

    /** As above, with another launch timeout, and the tasks sent the secret {@code sentSecret} makes (tests). */
    ResidentGradientSource(TrainingBlocks data, Topology topology, int maxColumns, ShardTask.Decorator decorator,
                           long launchTimeoutMillis, java.util.function.UnaryOperator<byte[]> sentSecret) {
        this.launchTimeoutMillis = launchTimeoutMillis;
        this.sentSecret = sentSecret;
        this.data = data;
        this.topology = topology;
        this.maxColumns = maxColumns;
        this.decorator = decorator;
        this.jobPerStep = new SparkGradientSource(data, topology, maxColumns, decorator);
    }

    @Override
    public long rowCount() {
        return data.rowCount();
    }

    @Override
    public GradientSum gradient(double[] weights, Step step) {
        return fallbackReason != null ? jobPerStep.gradient(weights, step)
                : run(weights, ShardTask.gradient(step), step, ResidentTasks.TRAINING);
    }

    @Override
    public GradientSum evaluate(double[] weights) {
        return fallbackReason != null ? jobPerStep.evaluate(weights)
                : run(weights, ShardTask.evaluate(), null, ResidentTasks.TRAINING);
    }

    /** Why steps go to a job each, or null while they go to the step tasks. */
    public String fallbackReason() {
        return fallbackReason;
    }

    private GradientSum run(double[] weights, ShardTask task, Step step, int set) {
        stepping.lock();
        try {
            return runLocked(weights, task, step, set);
        } finally {
            stepping.unlock();
        }
    }

    private GradientSum runLocked(double[] weights, ShardTask task, Step step, int set) {
        boolean asFloats = data.precision() == Precision.FLOAT32;
        ShardTask sent = decorator.apply(task);
        for (int attempt = 1; ; attempt++) {
            try {
                if (tasks == null) {
                    long launched = System.currentTimeMillis();
                    // a launch after a loss waits for the lost executor's slots to come back
                    tasks = ResidentTasks.launch(data, validation == null ? null : validation.data(), topology,
                            maxColumns, launchTimeoutMillis, attempt > 1 ? taskCount : 0, sentSecret);
                    taskCount = Math.max(taskCount, tasks.taskCount());
                    otherJobs.listen(data.rdd().context(), launched);
                }
                return tasks.step(sent, set, weights, asFloats);
            } catch (ResidentTasks.Lost e) {
                pause();
                if (attempt == MAX_STEP_ATTEMPTS) {
                    throw e;
                }
                if (TrainingBlocks.findCause(e, StepRDD.CachedBlocksLost.class) != null) {
                    data.recache();
                    if (validation != null) {
                        validation.data().recache();
                    }
                }
                LOG.warn("sparkprop: {}; repeating the step on step tasks launched again", e.getMessage());
            } catch (ResidentTasks.CannotLaunch e) {
                fallbackReason = e.getMessage();
                LOG.warn("sparkprop: steps run as a Spark job each: {}", fallbackReason);
                if (step != null) {
                    return jobPerStep.gradient(weights, step);
                }
                return set == ResidentTasks.VALIDATION ? validation.evaluate(weights) : jobPerStep.evaluate(weights);
            }
        }
    }

    /** Stops the step tasks, freeing their slots; the next step starts them again. */
    public void pause() {
        stepping.lock();
        try {
            otherJobs.stopListening();
            if (tasks != null) {
                ResidentTasks running = tasks;
                tasks = null;
                running.close();
            }
        } finally {
            stepping.unlock();
        }
    }

    /**
     * Pauses the step tasks when another job starts while they run, so that it gets their slots:
     * at once if no step is running (the job may come from the training thread itself, which waits
     * for it), else as soon as the step is done (the lock), on a thread of its own: Spark's
     * listener bus must not wait.
     */
    private final class OtherJobs extends org.apache.spark.scheduler.SparkListener {
        private org.apache.spark.SparkContext listeningTo;
        private volatile long since;

        /** Listens for jobs that start from {@code sinceMillis} on (earlier ones may still be reported). */
        void listen(org.apache.spark.SparkContext sc, long sinceMillis) {
            since = sinceMillis;
            if (listeningTo == null) {
                sc.addSparkListener(this);
                listeningTo = sc;
            }
        }

        void stopListening() {
            if (listeningTo != null) {
                listeningTo.removeSparkListener(this);
                listeningTo = null;
            }
        }

        @Override
        public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
            String description = start.properties() == null ? null
                    : start.properties().getProperty("spark.job.description");
            if (tasks != null && start.time() >= since && (description == null || !description.startsWith(ResidentTasks.JOB_DESCRIPTION))) {
                Thread pausing = new Thread(ResidentGradientSource.this::pause, "sparkprop: pausing step tasks");
                pausing.setDaemon(true);
                pausing.start();
            }
        }
    }

    /**
     * The validation rows, evaluated by the same step tasks (which read them once a launch) rather
     * than by a Spark job that would need their slots: no pause and no launch again each epoch.
     * The sums are those {@link SparkGradientSource#evaluate} gives on them, bit for bit.
     */
    public GradientSource validating(TrainingBlocks rows) {
        SparkGradientSource jobs = new SparkGradientSource(rows, topology, maxColumns, decorator);
        stepping.lock();
        try {
            pause(); // tasks launched without them start again with them
            validation = jobs;
        } finally {
            stepping.unlock();
        }
        return new GradientSource() {
            @Override
            public long rowCount() {
                return rows.rowCount();
            }

            @Override
            public GradientSum gradient(double[] weights, Step step) {
                throw new UnsupportedOperationException("validation rows are evaluated, not trained on");
            }

            @Override
            public GradientSum evaluate(double[] weights) {
                return fallbackReason != null ? jobs.evaluate(weights)
                        : run(weights, ShardTask.evaluate(), null, ResidentTasks.VALIDATION);
            }

            @Override
            public void close() {
                jobs.close();
            }
        };
    }

    @Override
    public void close() {
        try {
            pause();
        } finally {
            jobPerStep.close();
            if (validation != null) {
                validation.close();
            }
        }
    }
}
