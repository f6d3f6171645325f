package io.sparkprop.spark;

import static io.sparkprop.spark.SparkTestSupport.features;
import static io.sparkprop.spark.SparkTestSupport.frame;
import static io.sparkprop.spark.SparkTestSupport.labels;
import static io.sparkprop.spark.SparkTestSupport.relativeDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import io.sparkprop.nn.WeightInit;
import io.sparkprop.train.CheckpointStore;
import io.sparkprop.train.TrainingConfig;
import io.sparkprop.train.TrainingListener;
import io.sparkprop.train.TrainingResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopFileStoreTest {

    @Test
    void writesReplacesListsReadsAndDeletesOnAFileUri(@TempDir Path dir) throws Exception {
        HadoopFileStore store = new HadoopFileStore(dir.toUri().toString(), new Configuration());
        assertEquals(List.of(), store.list("missing"));
        store.write("a.bin", new byte[] {1, 2});
        store.write("a.bin", new byte[] {3}); // replaces
        store.write("sub/b.txt", "b".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {3}, store.read("a.bin"));
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(dir.resolve("a.bin")));
        assertEquals(List.of("a.bin", "sub"), store.list(""), "no temporary or checksum files left");
        store.delete("sub");
        store.delete("never-there");
        assertEquals(List.of("a.bin"), store.list(""));
        assertTrue(store.exists("a.bin"));
        assertTrue(store.location().startsWith("file:/"), store.location());
    }

    @Test
    void aPlainPathIsLocalEvenWhenTheDefaultFilesystemIsNot(@TempDir Path dir) throws Exception {
        Configuration conf = new Configuration();
        conf.set("fs.defaultFS", "hdfs://127.0.0.1:1"); // nothing listens there; it must not be asked
        HadoopFileStore store = new HadoopFileStore(dir.resolve("ck").toString(), conf);
        store.write("x", new byte[] {7});
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(dir.resolve("ck").resolve("x")));
    }

    @Test
    void anUnknownSchemeIsAOneLineErrorNamingTheDir() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new HadoopFileStore("nosuchfs://bucket/ck", new Configuration()));
        assertTrue(e.getMessage().startsWith("checkpointDir nosuchfs://bucket/ck: no filesystem for it"),
                e.getMessage());
    }

    /**
     * Full batch is the same on any partitioning up to rounding, so a run checkpointed on 2
     * partitions and resumed on 3 must end where an uninterrupted run does: the partition count
     * is not a setting that refuses a resume.
     */
    @Test
    void aSparkRunResumesOnAnotherPartitionCountFromAFileUri(@TempDir Path dir) {
        SparkSession spark = SparkTestSupport.session();
        Topology net = new Topology(new int[] {4, 6, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        TargetEncoder targets = TargetEncoder.classes(3, Loss.CROSS_ENTROPY);
        double[][] x = features(120, 4, 3);
        double[] y = labels(x, 3);
        double[] w0 = WeightInit.initialWeights(net, 2);
        TrainingConfig config = TrainingConfig.DEFAULTS.withOptimizer("adam").withBatchSize(0).withStepSize(0.05)
                .withMaxEpochs(6);
        TrainingResult straight = new SparkTrainer(net, targets, null, config)
                .train(frame(spark, x, y, 60, 60), null, w0, TrainingListener.NONE);

        CheckpointStore store = new CheckpointStore(new HadoopFileStore(dir.toUri().toString(),
                spark.sparkContext().hadoopConfiguration()), 3);
        assertThrows(Crash.class, () -> new SparkTrainer(net, targets, null, config).checkpoints(store, 1, false)
                .train(frame(spark, x, y, 60, 60), null, w0, new TrainingListener() {
                    @Override
                    public void onEpoch(io.sparkprop.train.EpochStats stats, double[] weights) {
                        if (stats.epoch() == 4) {
                            throw new Crash();
                        }
                    }
                }));
        assertEquals(3, store.latest().orElseThrow().epoch());
        var refused = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(net, targets, null,
                config.withStepSize(0.1)).checkpoints(store, 1, true)
                .train(frame(spark, x, y, 40, 40, 40), null, w0, TrainingListener.NONE));
        assertTrue(refused.getMessage().contains("(stepSize was 0.05, is 0.1)"), refused.getMessage());

        TrainingResult resumed = new SparkTrainer(net, targets, null, config).checkpoints(store, 1, true)
                .train(frame(spark, x, y, 40, 40, 40), null, w0, TrainingListener.NONE);
        assertEquals(6, resumed.history().size());
        double diff = relativeDifference(straight.weights(), resumed.weights());
        assertTrue(diff < 1e-9, "resumed on 3 partitions, the weights differ by " + diff);
    }

    /** Stops a run after an epoch, as a crash would. */
    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
