package io.sparkprop.spark;

import static io.sparkprop.spark.SparkTestSupport.features;
import static io.sparkprop.spark.SparkTestSupport.frame;
import static io.sparkprop.spark.SparkTestSupport.labels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Precision;
import io.sparkprop.nn.Topology;
import io.sparkprop.nn.WeightInit;
import io.sparkprop.train.Step;
import io.sparkprop.train.TrainingConfig;
import io.sparkprop.train.TrainingListener;
import io.sparkprop.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scala.Tuple2;

/**
 * Step tasks that outlive a step ({@link ResidentGradientSource}) give bitwise the sums of a job a
 * step ({@link SparkGradientSource}), in both precisions, across pauses, after a lost task, and
 * with more partitions than task slots. The session is {@code local[2]}: two task slots.
 */
class ResidentStepsTest {
    static final Topology NET = new Topology(new int[] {5, 8, 3}, Activation.RELU, Activation.SOFTMAX,
            Loss.CROSS_ENTROPY);
    static final TargetEncoder TARGETS = TargetEncoder.classes(3, Loss.CROSS_ENTROPY);
    static final double[][] x = features(203, 5, 3);
    static final double[] y = labels(x, 3);
    /** Shared by the whole test run; started when this class is first used. */
    static final SparkSession spark = SparkTestSupport.session();

    private static TrainingBlocks blocks(Precision precision, int... sizes) {
        return TrainingBlocks.prepare(frame(spark, x, y, sizes), "features", "label", null, null, 5, TARGETS, null, 16,
                precision, "test");
    }

    private static void assertSameSums(GradientSum expected, GradientSum actual, String what) {
        assertEquals(expected.count(), actual.count(), what);
        assertEquals(expected.lossSum(), actual.lossSum(), 0.0, what);
        assertEquals(expected.correct(), actual.correct(), 0.0, what);
        if (expected.sums() != null) {
            assertArrayEquals(expected.sums(), actual.sums(), 0.0, what);
        }
    }

    /** Each job a step here also makes the step tasks yield their slots (else it would wait for ever). */
    @Test
    void stepTasksGiveTheSumsOfAJobAStepBitwiseAndYieldToOtherJobs() {
        double[] w = WeightInit.initialWeights(NET, 9);
        for (Precision precision : Precision.values()) {
            try (TrainingBlocks data = blocks(precision, 120, 83)) {
                SparkGradientSource jobs = new SparkGradientSource(data, NET, 8);
                ResidentGradientSource resident = new ResidentGradientSource(data, NET, 8);
                for (int s = 0; s < 4; s++) {
                    Step step = new Step(1 + s / 3, 1 + s / 3, s % 3, 3);
                    GradientSum expected = jobs.gradient(w, step);
                    GradientSum actual = resident.gradient(w, step);
                    assertTrue(actual.count() > 0);
                    assertSameSums(expected, actual, precision.paramName() + " step " + s);
                    w[s] += 0.01; // each step sends new weights
                    if (s == 1) {
                        resident.pause(); // as before validation: the next step launches them again
                    }
                }
                assertSameSums(jobs.evaluate(w), resident.evaluate(w), precision.paramName() + " evaluate");
                assertNull(resident.fallbackReason(), "the step tasks ran");
                resident.pause();
            }
        }
    }

    /** Two slots: a task serves several partitions, each into its own sum (11 partitions: through the tree's order). */
    @ParameterizedTest(name = "partition sizes {0}")
    @ValueSource(strings = {"50,50,0,50,53", "100,103,0,0", "20,20,20,20,20,20,20,20,20,20,3"})
    void morePartitionsThanTaskSlotsShareTheTasksWithTheSameSums(String layout) {
        int[] sizes = java.util.Arrays.stream(layout.split(",")).mapToInt(Integer::parseInt).toArray();
        double[] w = WeightInit.initialWeights(NET, 9);
        try (TrainingBlocks data = blocks(Precision.FLOAT64, sizes)) {
            List<GradientSum> expected = new ArrayList<>();
            SparkGradientSource jobs = new SparkGradientSource(data, NET, 8);
            for (int s = 0; s < 3; s++) {
                expected.add(jobs.gradient(w, new Step(1, 1, s, 3)));
            }
            ResidentGradientSource resident = new ResidentGradientSource(data, NET, 8);
            double[] first = null;
            for (int s = 0; s < 3; s++) {
                GradientSum actual = resident.gradient(w, new Step(1, 1, s, 3));
                assertSameSums(expected.get(s), actual, layout + " step " + s);
                if (s == 0) {
                    first = actual.sums();
                } else {
                    // the driver reads each step's sums into the arrays of the step before
                    assertSame(first, actual.sums(), "step " + s + " allocated its sums anew");
                }
            }
            assertNull(resident.fallbackReason(), "the step tasks ran");
            resident.pause();
            int[][] groups = ResidentTasks.groups(data.rdd().rdd(), data.partitionRows(), 2);
            assertEquals(2, groups.length);
            long[] load = java.util.stream.Stream.of(groups)
                    .mapToLong(g -> java.util.Arrays.stream(g).mapToLong(p -> sizes[p]).sum()).toArray();
            assertTrue(Math.abs(load[0] - load[1]) <= 53, "rows a task: " + java.util.Arrays.toString(load));
            assertEquals(java.util.stream.IntStream.range(0, sizes.length).boxed().toList(),
                    java.util.stream.Stream.of(groups).flatMapToInt(java.util.Arrays::stream).sorted().boxed().toList(),
                    "each partition served once");
        }
    }

    /**
     * Tasks sent a wrong secret are turned away as they connect; the launch fails, and the steps
     * go to a job each, with the same sums and the slots free for those jobs.
     */
    @Test
    void tasksWithoutTheSecretAreTurnedAwayAndTheStepsRunAsAJobEach() {
        double[] w = WeightInit.initialWeights(NET, 9);
        try (TrainingBlocks data = blocks(Precision.FLOAT64, 120, 83)) {
            Step step = new Step(1, 1, 0, 2);
            GradientSum expected = new SparkGradientSource(data, NET, 8).gradient(w, step);
            ResidentGradientSource strangers = new ResidentGradientSource(data, NET, 8, ShardTask.Decorator.NONE,
                    20_000, secret -> {
                        secret[0] ^= 1;
                        return secret;
                    });
            long start = System.nanoTime();
            GradientSum actual = strangers.gradient(w, step);
            assertTrue(strangers.fallbackReason() != null, "the launch failed");
            assertTrue(System.nanoTime() - start < 20e9, "turned away, not timed out: " + strangers.fallbackReason());
            assertSameSums(expected, actual, "a job a step");
            assertSameSums(expected, strangers.gradient(w, step), "and the next step too");
        }
    }

    /** Task runs left before one fails on its executor (local mode: this JVM); -1 once it has. */
    private static final AtomicInteger RUNS_BEFORE_FAILURE = new AtomicInteger(-1);

    /** Runs its task, except the one run that {@link #RUNS_BEFORE_FAILURE} counts down to. */
    private record FailOnce(ShardTask inner) implements ShardTask {
        @Override
        public void run(double[] weights, int partition, io.sparkprop.train.Shard shard,
                        io.sparkprop.train.ShardWorkspace ws, GradientSum into) {
            if (RUNS_BEFORE_FAILURE.get() >= 0 && RUNS_BEFORE_FAILURE.getAndDecrement() == 0) {
                throw new IllegalStateException("a step task lost on purpose");
            }
            inner.run(weights, partition, shard, ws, into);
        }
    }

    @Test
    void aLostStepTaskEndsThemAllAndTheStepIsRepeatedWithTheSameSums() {
        double[] w = WeightInit.initialWeights(NET, 9);
        try (TrainingBlocks data = blocks(Precision.FLOAT64, 120, 83)) {
            SparkGradientSource jobs = new SparkGradientSource(data, NET, 8);
            List<GradientSum> expected = new ArrayList<>();
            for (int s = 0; s < 5; s++) {
                expected.add(jobs.gradient(w, new Step(1, 1, s, 5)));
            }
            List<String> launches = jobDescriptions(() -> {
                ResidentGradientSource resident = new ResidentGradientSource(data, NET, 8, FailOnce::new);
                RUNS_BEFORE_FAILURE.set(5); // the 6th task run, in step 3 (two tasks a step)
                for (int s = 0; s < 5; s++) {
                    assertSameSums(expected.get(s), resident.gradient(w, new Step(1, 1, s, 5)), "step " + s);
                }
                resident.pause();
            }).stream().filter(d -> d.startsWith("sparkprop step tasks")).toList();
            assertEquals(-1, RUNS_BEFORE_FAILURE.get(), "a task failed");
            assertEquals(2, launches.size(), "launched once, and again after the lost task");
        }
    }

    @Test
    void trainingRunsItsStepsAndItsValidationInOneJob() {
        TrainingConfig config = TrainingConfig.DEFAULTS.withOptimizer("momentum").withBatchSize(40)
                .withStepSize(0.05).withMaxEpochs(3).withSeed(2);
        double[][] vx = features(60, 5, 4);
        // four validation partitions, two of them empty, on two tasks: one serves three, in partition order
        Dataset<Row> validation = frame(spark, vx, labels(vx, 3), 25, 0, 35, 0);
        java.util.function.Function<Boolean, TrainingResult> train = resident -> new SparkTrainer(NET, TARGETS, null,
                config).blockRows(16, 8).residentSteps(resident).train(frame(spark, x, y, 100, 103), validation,
                WeightInit.initialWeights(NET, 2), TrainingListener.NONE);
        TrainingResult jobs = train.apply(false);
        List<TrainingResult> resident = new ArrayList<>();
        List<String> descriptions = jobDescriptions(() -> resident.add(train.apply(true)));
        assertArrayEquals(jobs.weights(), resident.get(0).weights(), 0.0);
        assertArrayEquals(jobs.lossHistory(), resident.get(0).lossHistory(), 0.0);
        for (int e = 0; e < 3; e++) {
            assertEquals(jobs.history().get(e).validationLoss(), resident.get(0).history().get(e).validationLoss(), 0.0,
                    "epoch " + (e + 1) + "'s validation loss, bit for bit");
        }
        long launches = descriptions.stream().filter(d -> d.startsWith("sparkprop step tasks")).count();
        assertEquals(1, launches, "the same tasks for every epoch's steps and validation: " + descriptions);
        assertTrue(descriptions.stream().noneMatch(d -> d.matches("sparkprop epoch \\d+/3 (step|validation).*")),
                descriptions.toString());
    }

    @Test
    void theStepTasksAddThePartialSumsAsTheTreeOfAJobAStepDoes() {
        // Real partial sums, one block of 2 rows each, at weights large enough that order shows in the bits.
        List<io.sparkprop.nn.Block> rows = SparkTestSupport.blocks(x, y, TARGETS, 2);
        double[] w = WeightInit.initialWeights(NET, 9);
        for (int i = 0; i < w.length; i++) {
            w[i] *= 3;
        }
        Random random = new Random(5);
        for (int partitions : new int[] {1, 3, 8, 9, 20, 70}) {
            List<Tuple2<Integer, GradientSum>> parts = new ArrayList<>();
            GradientSum[] array = new GradientSum[partitions];
            for (int p = 0; p < partitions; p++) {
                GradientSum sum = new GradientSum(NET.parameterCount());
                ShardTask.gradient(new Step(1, 1, 0, 1)).run(w, p, new io.sparkprop.train.Shard(List.of(rows.get(p))),
                        new io.sparkprop.train.ShardWorkspace(NET, 8), sum);
                parts.add(new Tuple2<>(p, sum));
                array[p] = new GradientSum(NET.parameterCount()).merge(sum); // a copy: the depth-one merge adds into part 0
            }
            java.util.Collections.shuffle(parts, random); // as tasks finish in any order
            GradientSum tree = SparkGradientSource.treeMerge(JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelizePairs(parts, 4), partitions, NET.parameterCount());
            GradientSum asTree = SparkGradientSource.mergeAsTree(array);
            assertEquals(2L * partitions, asTree.count());
            assertSameSums(tree, asTree, partitions + " partitions");
        }
    }

    private static List<String> jobDescriptions(Runnable work) {
        List<String> names = new CopyOnWriteArrayList<>();
        SparkListener listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                String d = jobStart.properties().getProperty("spark.job.description");
                names.add(d == null ? "" : d);
            }
        };
        spark.sparkContext().addSparkListener(listener);
        try {
            work.run();
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } catch (Exception e) { // a timeout, declared by some Spark versions and not by others
            throw new AssertionError("Spark's listener bus did not drain", e);
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
        return names;
    }
}
