package io.sparkprop.spark;

import static io.sparkprop.spark.SparkTestSupport.features;
import static io.sparkprop.spark.SparkTestSupport.frame;
import static io.sparkprop.spark.SparkTestSupport.labels;
import static io.sparkprop.spark.SparkTestSupport.relativeDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import io.sparkprop.nn.WeightInit;
import io.sparkprop.train.TrainingConfig;
import io.sparkprop.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The same job on two real executor JVMs ({@code local-cluster[2,1,1024]}) and on {@code local[2]}
 * gives the same weights: bitwise-close on the same partitions, to rounding on other partitionings. The build lays out target/spark-home (jars/ + RELEASE) for the
 * workers to launch executors from; surefire sets SPARK_HOME and SPARK_SCALA_VERSION.
 */
class LocalClusterTest {

    @Test
    void twoExecutorJvmsGiveTheSameWeightsAsLocalMode() throws Exception {
        String sparkHome = System.getenv("SPARK_HOME");
        assertNotNull(sparkHome, "surefire sets SPARK_HOME to target/spark-home");
        Path jars = Path.of(sparkHome, "jars");
        assertTrue(Files.isDirectory(jars), "the build copies the runtime jars to " + jars);
        Path release = Path.of(sparkHome, "RELEASE");
        if (!Files.exists(release)) {
            Files.createFile(release); // marks the folder as a distribution, so jars/ is used as it is
        }

        Topology net = new Topology(new int[] {6, 10, 4}, Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        double[][] x = features(400, 6, 21);
        double[] y = labels(x, 4);
        TrainingConfig config = TrainingConfig.DEFAULTS.withOptimizer("momentum").withBatchSize(64)
                .withStepSize(0.05).withMaxEpochs(3).withSeed(4);
        java.util.function.BiFunction<SparkSession, int[], double[]> onPartitions = (spark, sizes) -> new SparkTrainer(
                net, TargetEncoder.classes(4, Loss.CROSS_ENTROPY), null, config).blockRows(32, 16)
                .train(frame(spark, x, y, sizes), null, WeightInit.initialWeights(net, 4),
                        TrainingListener.NONE).weights();
        Function<SparkSession, double[]> job = spark -> onPartitions.apply(spark, new int[] {120, 80, 150, 50});

        SparkSession cluster = startCluster();
        double[] onCluster;
        try {
            assertEquals("local-cluster[2,1,1024]", cluster.sparkContext().master());
            onCluster = job.apply(cluster);
            // Two executors, each its own JVM: block managers other than the driver's.
            assertEquals(3, cluster.sparkContext().getExecutorMemoryStatus().size());
        } finally {
            cluster.stop();
        }

        double[] local = job.apply(SparkTestSupport.session());
        double diff = relativeDifference(onCluster, local);
        assertTrue(diff < 1e-10, "local-cluster and local[2] weights differ by " + diff);
        // Mini-batches are chosen by row, not by partition: other partitionings in local mode give
        // the cluster's model up to rounding.
        for (int[] sizes : new int[][] {{400}, {60, 60, 60, 60, 60, 60, 40}}) {
            double other = relativeDifference(onPartitions.apply(SparkTestSupport.session(), sizes), onCluster);
            assertTrue(other <= 1e-6, sizes.length + " partitions in local[2] and local-cluster differ by " + other);
        }
    }

    /**
     * Steps as a job each, and on step tasks that outlive a step (a task a partition, or two
     * partitions a task), whose lost task ends them all and whose step is then repeated.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} partitions, resident steps {1}")
    @org.junit.jupiter.params.provider.CsvSource({"4, false", "4, true", "2, true"})
    void aKilledExecutorCostsTimeNotCorrectness(int partitions, boolean resident) throws Exception {
        Topology net = new Topology(new int[] {6, 12, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        double[][] x = features(600, 6, 5);
        double[] y = labels(x, 3);
        TrainingConfig config = TrainingConfig.DEFAULTS.withOptimizer("adam").withBatchSize(100)
                .withStepSize(0.01).withMaxEpochs(12).withSeed(8);
        SparkSession cluster = startCluster();
        try {
            int[] sizes = new int[partitions];
            java.util.Arrays.fill(sizes, 600 / partitions);
            var trainer = new SparkTrainer(net, TargetEncoder.classes(3, Loss.CROSS_ENTROPY), null, config)
                    .blockRows(32, 16);
            double[] undisturbed = trainer.residentSteps(false).train(frame(cluster, x, y, sizes), null,
                    WeightInit.initialWeights(net, 8), TrainingListener.NONE).weights();
            trainer.residentSteps(resident);
            java.util.List<String> jobs = new java.util.concurrent.CopyOnWriteArrayList<>();
            cluster.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
                @Override
                public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
                    jobs.add(String.valueOf(start.properties().getProperty("spark.job.description")));
                }
            });

            String app = cluster.sparkContext().applicationId();
            java.util.List<Long> killed = new java.util.ArrayList<>();
            TrainingListener killer = new TrainingListener() {
                @Override
                public void onStepStart(io.sparkprop.train.Step step, int maxEpochs) {
                    if (step.epoch() == 4 && step.index() == 2 && killed.isEmpty()) {
                        // Spark's executor list names the executors; their JVMs are found by id and app.
                        String id = executorIds(cluster).get(0);
                        ProcessHandle executor = ProcessHandle.allProcesses()
                                .filter(p -> p.info().commandLine().map(c -> c.contains("CoarseGrainedExecutorBackend")
                                        && c.contains("--executor-id " + id) && c.contains(app)).orElse(false))
                                .findFirst().orElseThrow(() -> new AssertionError("no JVM for executor " + id));
                        killed.add(executor.pid());
                        executor.destroyForcibly();
                    }
                }
            };
            double[] disturbed = trainer.train(frame(cluster, x, y, sizes), null,
                    WeightInit.initialWeights(net, 8), killer).weights();
            cluster.sparkContext().listenerBus().waitUntilEmpty();
            long stepJobs = jobs.stream().filter(d -> d.startsWith("sparkprop epoch")).count();
            long launches = jobs.stream().filter(d -> d.startsWith("sparkprop step tasks")).count();
            if (resident) {
                assertEquals(0, stepJobs, "every step ran on the step tasks: " + jobs);
                assertTrue(launches >= 2, "launched once, and again after the lost executor: " + jobs);
            } else {
                assertEquals(0, launches);
                assertTrue(stepJobs >= 12 * 6, jobs.size() + " jobs");
            }
            assertEquals(1, killed.size(), "one executor JVM was killed mid-training");
            assertTrue(ProcessHandle.of(killed.get(0)).map(p -> !p.isAlive()).orElse(true));
            org.junit.jupiter.api.Assertions.assertArrayEquals(undisturbed, disturbed, 0.0);
        } finally {
            cluster.stop();
        }
    }

    static java.util.List<String> executorIds(SparkSession spark) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        scala.collection.Iterator<String> it = spark.sparkContext().getExecutorIds().iterator();
        while (it.hasNext()) {
            ids.add(it.next());
        }
        java.util.Collections.sort(ids);
        return ids;
    }

    static SparkSession startCluster() throws Exception {
        String sparkHome = System.getenv("SPARK_HOME");
        Path release = Path.of(sparkHome, "RELEASE");
        if (!Files.exists(release)) {
            Files.createFile(release);
        }
        stopActiveSession();
        // The command line's defaults (SessionDefaults), as a job launched by submit.sh has them.
        return SessionDefaults.apply(SparkSession.builder(), new org.apache.spark.SparkConf())
                .master("local-cluster[2,1,1024]")
                .appName("sparkprop-local-cluster-test")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.executor.extraClassPath", System.getProperty("sparkprop.test.classpath"))
                .config("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
                .getOrCreate();
    }

    static void stopActiveSession() {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
        SparkSession.getDefaultSession().foreach(s -> {
            s.stop();
            return null;
        });
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }
}
