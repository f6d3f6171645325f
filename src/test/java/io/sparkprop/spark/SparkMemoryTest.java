package io.sparkprop.spark;

import static io.sparkprop.spark.SparkTestSupport.features;
import static io.sparkprop.spark.SparkTestSupport.frame;
import static io.sparkprop.spark.SparkTestSupport.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import io.sparkprop.nn.WeightInit;
import io.sparkprop.train.EpochStats;
import io.sparkprop.train.TrainingConfig;
import io.sparkprop.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.BlockId;
import org.junit.jupiter.api.Test;

/** A long run does not pile up cached RDDs or broadcast blocks. */
class SparkMemoryTest {

    @Test
    void twoThousandIterationsLeaveNothingBehind() throws Exception {
        SparkSession spark = SparkTestSupport.session();
        Topology net = new Topology(new int[] {4, 6, 2}, Activation.SIGMOID, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        double[][] x = features(60, 4, 5);
        int rddsBefore = spark.sparkContext().getPersistentRDDs().size();
        List<Integer> broadcastBlocks = new ArrayList<>();
        List<Integer> cachedRdds = new ArrayList<>();
        TrainingListener sampler = new TrainingListener() {
            @Override
            public void onEpoch(EpochStats stats, double[] weights) {
                if (stats.epoch() % 250 == 0) {
                    broadcastBlocks.add(broadcastBlockCount());
                    cachedRdds.add(spark.sparkContext().getPersistentRDDs().size());
                }
            }
        };
        new SparkTrainer(net, TargetEncoder.classes(2, Loss.CROSS_ENTROPY), null,
                TrainingConfig.DEFAULTS.withOptimizer("gd").withStepSize(0.1).withMaxEpochs(2000))
                .train(frame(spark, x, labels(x, 2), 30, 30), null, WeightInit.initialWeights(net, 1), sampler);

        assertEquals(8, broadcastBlocks.size());
        assertTrue(cachedRdds.stream().allMatch(n -> n == rddsBefore + 1), "cached RDDs per sample: " + cachedRdds);
        assertEquals(rddsBefore, spark.sparkContext().getPersistentRDDs().size(), "unpersisted at the end");
        // Each step's weights are destroyed at once; what remains are task binaries the cleaner frees on GC.
        int first = broadcastBlocks.get(0);
        int last = broadcastBlocks.get(broadcastBlocks.size() - 1);
        assertTrue(last <= first + 10, "broadcast blocks after 250 .. 2000 iterations: " + broadcastBlocks);
    }

    /** Broadcast blocks held by this JVM's block manager (driver and executors in local mode), after a GC. */
    static int broadcastBlockCount() {
        // The ContextCleaner frees unreachable broadcasts on its own thread, late on a busy machine:
        // the fewest seen over a few GCs (a leaked block is never freed, so it stays in that count).
        int fewest = Integer.MAX_VALUE;
        for (int round = 0; round < 10 && fewest > 0; round++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fewest = Math.min(fewest, SparkEnv.get().blockManager()
                    .getMatchingBlockIds((scala.Function1<BlockId, Object>) BlockId::isBroadcast).size());
        }
        return fewest;
    }
}
