package io.sparkprop.spark;

import static io.sparkprop.spark.SparkTestSupport.blocks;
import static io.sparkprop.spark.SparkTestSupport.features;
import static io.sparkprop.spark.SparkTestSupport.frame;
import static io.sparkprop.spark.SparkTestSupport.labels;
import static io.sparkprop.spark.SparkTestSupport.relativeDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Precision;
import io.sparkprop.nn.Topology;
import io.sparkprop.nn.WeightInit;
import io.sparkprop.train.DivergenceException;
import io.sparkprop.train.LocalGradientSource;
import io.sparkprop.train.Step;
import io.sparkprop.train.Trainer;
import io.sparkprop.train.TrainingConfig;
import io.sparkprop.train.TrainingListener;
import io.sparkprop.train.TrainingResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SparkTrainerTest {
    static final Topology NET = new Topology(new int[] {5, 8, 3}, Activation.TANH, Activation.SOFTMAX,
            Loss.CROSS_ENTROPY);
    static final TargetEncoder TARGETS = TargetEncoder.classes(3, Loss.CROSS_ENTROPY);
    static final int ROWS = 203;
    static final TrainingConfig FULL_BATCH = TrainingConfig.DEFAULTS.withOptimizer("gd").withBatchSize(0)
            .withStepSize(0.5).withMaxEpochs(20).withSeed(9);
    static SparkSession spark;
    static double[][] x;
    static double[] y;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.session();
        x = features(ROWS, 5, 1);
        y = labels(x, 3);
    }

    static TrainingResult reference(TrainingConfig config) {
        try (LocalGradientSource local = new LocalGradientSource(NET, blocks(x, y, TARGETS, 64))) {
            return new Trainer(NET, config).train(local, null, WeightInit.initialWeights(NET, 9), TrainingListener.NONE);
        }
    }

    @ParameterizedTest(name = "partition sizes {0}")
    @ValueSource(strings = {"203", "100,103", "0,150,53", "1,2,100,0,50,40,10"})
    void fullBatchWeightsDoNotDependOnPartitioning(String layout) {
        int[] sizes = java.util.Arrays.stream(layout.split(",")).mapToInt(Integer::parseInt).toArray();
        Dataset<Row> df = frame(spark, x, y, sizes);
        TrainingResult onSpark = new SparkTrainer(NET, TARGETS, null, FULL_BATCH).blockRows(16, 8)
                .train(df, null, WeightInit.initialWeights(NET, 9), TrainingListener.NONE);
        TrainingResult local = reference(FULL_BATCH);

        double diff = relativeDifference(onSpark.weights(), local.weights());
        assertTrue(diff < 1e-10, "weights differ by " + diff + " relative on partitions " + layout);
        assertEquals(local.lossHistory()[19], onSpark.lossHistory()[19], 1e-10);
        assertTrue(local.lossHistory()[19] < local.lossHistory()[0], "it should learn something");
    }

    @Test
    void aMiniBatchIsAveragedOverTheRowsThatCameBackNotTheNominalSize() {
        // 203 rows in 5 steps: each row falls in a step by its identity, so a step takes about
        // 40.6 rows, a few more or less, never the nominal size.
        Dataset<Row> df = frame(spark, x, y, 0, 150, 53);
        try (TrainingBlocks data = TrainingBlocks.prepare(df, "features", "label", 5, TARGETS, null, 16, "test");
             SparkGradientSource source = new SparkGradientSource(data, NET, 8)) {
            double[] w = WeightInit.initialWeights(NET, 9);
            long seen = 0;
            java.util.Set<Long> sizes = new java.util.HashSet<>();
            for (int s = 0; s < 5; s++) {
                GradientSum sum = source.gradient(w, new Step(3, 1, s, 5));
                assertTrue(sum.count() >= 20 && sum.count() <= 62, "step " + s + " took " + sum.count() + " rows");
                seen += sum.count();
                sizes.add(sum.count());
            }
            assertTrue(sizes.size() > 1, "step sizes vary: " + sizes);
            assertEquals(ROWS, seen, "every row once an epoch");
        }
    }

    /** Partition sizes: one empty partition; and 11 partitions, more than FAN_IN, so the sums go through the tree. */
    static List<int[]> layouts() {
        return List.of(new int[] {0, 150, 53}, new int[] {20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 3});
    }

    /** Step 2 of 5 of epoch 1, on the seed-9 weights: what the layout tests compare. */
    private static final Step STEP = new Step(2, 1, 3, 5);

    @ParameterizedTest(name = "partition sizes {0}")
    @MethodSource("layouts")
    void weightsInsideTheTasksAndInABroadcastGiveTheSameSums(int[] sizes) {
        Dataset<Row> df = frame(spark, x, y, sizes);
        double[] w = WeightInit.initialWeights(NET, 9);
        assertTrue(SparkGradientSource.weightsInTasks(sizes.length, NET.parameterCount()));
        for (Precision precision : Precision.values()) {
            try (TrainingBlocks data = TrainingBlocks.prepare(df, "features", "label", null, null, 5, TARGETS, null, 16,
                    precision, "test")) {
                GradientSum inTasks = new SparkGradientSource(data, NET, 8).gradient(w, STEP);
                GradientSum broadcast = new SparkGradientSource(data, NET, 8, ShardTask.Decorator.NONE, 0)
                        .gradient(w, STEP);
                assertTrue(inTasks.count() > 0);
                assertEquals(inTasks.count(), broadcast.count());
                assertEquals(inTasks.lossSum(), broadcast.lossSum(), 0.0, precision.paramName());
                org.junit.jupiter.api.Assertions.assertArrayEquals(inTasks.sums(), broadcast.sums(), 0.0);
            }
        }
    }

    /**
     * A step's tasks read the cached blocks by their ids, without the lineage that made them
     * ({@link StepRDD}): when a lost executor takes blocks with it, the driver caches them again
     * and repeats the step, with the same sums.
     */
    @ParameterizedTest(name = "partition sizes {0}")
    @MethodSource("layouts")
    void blocksLostFromTheCacheAreMadeAgainAndTheStepGivesTheSameSums(int[] sizes) {
        double[] w = WeightInit.initialWeights(NET, 9);
        try (TrainingBlocks data = TrainingBlocks.prepare(frame(spark, x, y, sizes), "features", "label", 5, TARGETS,
                null, 16, "test");
             SparkGradientSource source = new SparkGradientSource(data, NET, 8)) {
            GradientSum before = source.gradient(w, STEP);
            org.apache.spark.storage.BlockManager blocks = org.apache.spark.SparkEnv.get().blockManager();
            int id = data.rdd().id();
            for (int p : new int[] {1, sizes.length - 1}) {
                blocks.removeBlock(new org.apache.spark.storage.RDDBlockId(id, p), true);
                assertTrue(blocks.get(new org.apache.spark.storage.RDDBlockId(id, p),
                        scala.reflect.ClassTag$.MODULE$.Any()).isEmpty(), "partition " + p + " is gone");
            }
            GradientSum after = source.gradient(w, STEP);
            assertEquals(before.count(), after.count());
            assertEquals(before.lossSum(), after.lossSum(), 0.0);
            org.junit.jupiter.api.Assertions.assertArrayEquals(before.sums(), after.sums(), 0.0);
            assertTrue(blocks.getStatus(new org.apache.spark.storage.RDDBlockId(id, 1)).isDefined(),
                    "cached again");
        }
    }

    /**
     * float32 training sends the weights rounded to float; the executors round them so anyway,
     * so the sums are bitwise those of a local source given the unrounded weights.
     */
    @Test
    void float32WeightsTravelAsFloatsAndGiveTheLocalSumsBitwise() {
        Dataset<Row> df = frame(spark, x, y, ROWS);
        double[] w = WeightInit.initialWeights(NET, 9);
        for (int i = 0; i < w.length; i++) {
            w[i] += 1e-9 * i; // bits that float rounding drops
        }
        Step step = new Step(2, 1, 3, 5);
        try (TrainingBlocks data = TrainingBlocks.prepare(df, "features", "label", null, null, 5, TARGETS, null, 16,
                Precision.FLOAT32, "test");
             LocalGradientSource local = new LocalGradientSource(NET, blocks(x, y, TARGETS, 16, Precision.FLOAT32),
                     8)) {
            GradientSum onSpark = new SparkGradientSource(data, NET, 8).gradient(w, step);
            GradientSum here = local.gradient(w, step);
            assertEquals(here.count(), onSpark.count());
            assertEquals(here.lossSum(), onSpark.lossSum(), 0.0);
            org.junit.jupiter.api.Assertions.assertArrayEquals(here.sums(), onSpark.sums(), 0.0);
        }
    }

    @Test
    void weightsGoInsideTheTasksUpToTheirLimitOverAllTasks() {
        long fitsFour = SparkGradientSource.IN_TASK_WEIGHT_BYTES / (4 * Double.BYTES);
        assertTrue(SparkGradientSource.weightsInTasks(4, fitsFour));
        assertFalse(SparkGradientSource.weightsInTasks(5, fitsFour), "five copies pass the limit");
        assertFalse(SparkGradientSource.weightsInTasks(1, fitsFour * 4 + 1));
    }

    @Test
    void aBadRowIsNamedByItsNumberOverTheWholeFrame() {
        double[][] bad = features(ROWS, 5, 1);
        bad[170][2] = Double.NaN; // partition 1 holds rows 0..149 of [0,150,53]; row 170 is in partition 2
        Dataset<Row> df = frame(spark, bad, y, 0, 150, 53);
        int before = spark.sparkContext().getPersistentRDDs().size();
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SparkTrainer(NET, TARGETS, null, FULL_BATCH)
                        .train(df, null, WeightInit.initialWeights(NET, 9), TrainingListener.NONE));
        assertEquals("training data: row 171: feature 2 is NaN", e.getMessage());
        assertEquals(before, spark.sparkContext().getPersistentRDDs().size(), "nothing left cached");

        double[] badLabels = y.clone();
        badLabels[3] = 7;
        var label = assertThrows(IllegalArgumentException.class,
                () -> new SparkTrainer(NET, TARGETS, null, FULL_BATCH).train(frame(spark, x, badLabels, 100, 103),
                        null, WeightInit.initialWeights(NET, 9), TrainingListener.NONE));
        assertTrue(label.getMessage().startsWith("training data: row 4: label 7.0 is not a class index"),
                label.getMessage());
    }

    @Test
    void withStepModeJobEachStepIsAJobNamedAfterIt() throws Exception {
        List<String> names = new CopyOnWriteArrayList<>();
        SparkListener listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                String d = jobStart.properties().getProperty("spark.job.description");
                if (d != null) {
                    names.add(d);
                }
            }
        };
        spark.sparkContext().addSparkListener(listener);
        try {
            new SparkTrainer(NET, TARGETS, null, FULL_BATCH.withMaxEpochs(2).withBatchSize(70)).residentSteps(false)
                    .train(frame(spark, x, y, 100, 103), null, WeightInit.initialWeights(NET, 9), TrainingListener.NONE);
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
        assertTrue(names.contains("sparkprop epoch 1/2 step 1/3"), names.toString());
        assertTrue(names.contains("sparkprop epoch 2/2 step 3/3"), names.toString()); // 203 / 70 rounds to 3
    }

    @Test
    void aFailedRunReleasesWhatItCached() {
        int before = spark.sparkContext().getPersistentRDDs().size();
        Topology regression = new Topology(new int[] {5, 4, 1}, Activation.RELU, Activation.IDENTITY, Loss.QUADRATIC);
        double[] target = java.util.Arrays.stream(x).mapToDouble(r -> 10 * r[0]).toArray();
        var e = assertThrows(DivergenceException.class, () -> new SparkTrainer(regression,
                TargetEncoder.regression(0, 1), null, FULL_BATCH.withStepSize(100).withMaxEpochs(500))
                .train(frame(spark, x, target, 100, 103), frame(spark, x, target, 203),
                        WeightInit.initialWeights(regression, 9), TrainingListener.NONE));
        assertTrue(e.getMessage().contains("try a smaller stepSize"), e.getMessage());
        assertEquals(before, spark.sparkContext().getPersistentRDDs().size());
    }

    @Test
    void aTreeOverManyPartitionsAddsInPartitionOrder() {
        // 70 partitions: three levels (70 -> 9 -> 2 -> driver); the same sums as the local reference.
        int[] sizes = new int[70];
        java.util.Arrays.fill(sizes, 2);
        sizes[0] = ROWS - 2 * 69;
        Dataset<Row> df = frame(spark, x, y, sizes);
        double[] w = WeightInit.initialWeights(NET, 9);
        try (TrainingBlocks data = TrainingBlocks.prepare(df, "features", "label", 5, TARGETS, null, 16, "test");
             SparkGradientSource source = new SparkGradientSource(data, NET, 8)) {
            GradientSum a = source.gradient(w, new Step(1, 1, 0, 1));
            GradientSum b = source.gradient(w, new Step(1, 1, 0, 1));
            assertEquals(ROWS, a.count());
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.sums(), b.sums(), 0.0, "bitwise the same each time");
            GradientSum local = new LocalGradientSource(NET, blocks(x, y, TARGETS, 64)).gradient(w, new Step(1, 1, 0, 1));
            assertTrue(relativeDifference(a.sums(), local.sums()) < 1e-12);
        }
    }

    @Test
    void treeDepthGrowsWithThePartitionCount() {
        assertEquals(1, SparkGradientSource.aggregationDepth(1));
        assertEquals(1, SparkGradientSource.aggregationDepth(8));
        assertEquals(2, SparkGradientSource.aggregationDepth(9));
        assertEquals(2, SparkGradientSource.aggregationDepth(64));
        assertEquals(3, SparkGradientSource.aggregationDepth(65));
    }

    @Test
    void aWideNetworksWorkspaceIsNarrowerSoThatItsBuffersStayBounded() {
        java.util.function.IntFunction<Topology> net = hidden -> new Topology(new int[] {784, hidden, hidden / 2, 10},
                Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        assertEquals(SparkTrainer.DEFAULT_MAX_COLUMNS, SparkTrainer.workspaceColumns(net.apply(256)),
                "the shipped Fashion-MNIST network keeps a step's share in one call");
        int wide = SparkTrainer.workspaceColumns(net.apply(2560));
        assertEquals(494, wide, "32 MiB over 8 bytes x (2 x 3850 units + 784 inputs) a column");
        assertTrue(8L * wide * (2 * 3850 + 784) <= SparkTrainer.WORKSPACE_BYTES);
        assertEquals(64, SparkTrainer.workspaceColumns(new Topology(new int[] {784, 100_000, 10}, Activation.RELU,
                Activation.SOFTMAX, Loss.CROSS_ENTROPY)), "never narrower than 64");
    }
}
