package io.sparkprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.BlockStacker;
import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Block;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import io.sparkprop.nn.WeightInit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CheckpointTest {
    static final Topology NET = TrainerTest.NET;

    /** Stops the run after an epoch, as a crash would (nothing after it runs). */
    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    static TrainingConfig config(String optimizer) {
        return TrainingConfig.DEFAULTS.withOptimizer(optimizer).withBatchSize(32).withMaxEpochs(6).withStepSize(0.05)
                .withSchedule(new io.sparkprop.optim.LearningRateSchedule("cosine", 0.5, 1, 1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gd", "momentum", "adam"})
    void aResumedRunEndsWithBitwiseTheSameWeights(String optimizer, @TempDir Path dir) {
        List<Block> data = TrainerTest.blocks(150, 1, false);
        List<Block> validation = TrainerTest.blocks(50, 2, false);
        double[] w0 = WeightInit.initialWeights(NET, 4);
        TrainingConfig c = config(optimizer).withEarlyStoppingPatience(10);
        TrainingResult straight = new Trainer(NET, c).train(new LocalGradientSource(NET, data),
                new LocalGradientSource(NET, validation), w0, TrainingListener.NONE);

        CheckpointStore store = new CheckpointStore(dir, 2);
        assertThrows(Crash.class, () -> new Trainer(NET, c).checkpoints(store, 1, false).train(
                new LocalGradientSource(NET, data), new LocalGradientSource(NET, validation), w0,
                new TrainingListener() {
                    @Override
                    public void onEpoch(EpochStats stats, double[] weights) {
                        if (stats.epoch() == 4) {
                            throw new Crash(); // before epoch 4's checkpoint is written
                        }
                    }
                }));
        assertEquals(3, store.latest().orElseThrow().epoch());
        assertEquals(2, store.checkpoints().size(), "only the newest 2 are kept");

        TrainingResult resumed = new Trainer(NET, c).checkpoints(store, 1, true).train(
                new LocalGradientSource(NET, data), new LocalGradientSource(NET, validation), w0, TrainingListener.NONE);
        assertArrayEquals(straight.weights(), resumed.weights(), 0.0);
        assertEquals(straight.history().size(), resumed.history().size());
        assertEquals(straight.history().get(5).trainLoss(), resumed.history().get(5).trainLoss(), 0.0);
    }

    @Test
    void resumeRefusesOtherSettingsAndAMissingCheckpoint(@TempDir Path dir) {
        List<Block> data = TrainerTest.blocks(60, 1, false);
        double[] w0 = WeightInit.initialWeights(NET, 4);
        CheckpointStore store = new CheckpointStore(dir, 3);
        var none = assertThrows(IllegalArgumentException.class, () -> new Trainer(NET, config("adam"))
                .checkpoints(store, 1, true).train(new LocalGradientSource(NET, data), null, w0, TrainingListener.NONE));
        assertTrue(none.getMessage().startsWith("no checkpoint in "), none.getMessage());

        new Trainer(NET, config("adam")).checkpoints(store, 2, false)
                .train(new LocalGradientSource(NET, data), null, w0, TrainingListener.NONE);
        var other = assertThrows(IllegalArgumentException.class, () -> new Trainer(NET,
                config("adam").withStepSize(0.1)).checkpoints(store, 1, true)
                .train(new LocalGradientSource(NET, data), null, w0, TrainingListener.NONE));
        assertTrue(other.getMessage().contains("stepSize was 0.05, is 0.1"), other.getMessage());
    }

    @Test
    void aCrashMidWriteLeavesThePreviousCheckpoint(@TempDir Path dir) throws Exception {
        List<Block> data = TrainerTest.blocks(60, 1, false);
        CheckpointStore store = new CheckpointStore(dir, 3);
        new Trainer(NET, config("gd").withMaxEpochs(2)).checkpoints(store, 1, false)
                .train(new LocalGradientSource(NET, data), null, WeightInit.initialWeights(NET, 4), TrainingListener.NONE);
        Path half = Files.createDirectories(dir.resolve(".writing-123"));
        Files.write(half.resolve("state.bin"), new byte[] {1, 2, 3});
        Checkpoint latest = store.latest().orElseThrow();
        assertEquals(2, latest.epoch());
        assertEquals(NET.parameterCount(), latest.weights().length);
    }

    @Test
    void aDivergingRunKeepsItsLastGoodCheckpoint(@TempDir Path dir) {
        Topology regression = new Topology(new int[] {3, 4, 1}, Activation.RELU, Activation.IDENTITY, Loss.QUADRATIC);
        BlockStacker s = new BlockStacker(3, TargetEncoder.regression(0, 1), null, 16);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 50; i++) {
            s.add(new double[] {r.nextDouble(), r.nextDouble(), r.nextDouble()}, 100 * r.nextDouble());
        }
        CheckpointStore store = new CheckpointStore(dir, 3);
        DivergenceException e = assertThrows(DivergenceException.class, () -> new Trainer(regression,
                TrainingConfig.DEFAULTS.withOptimizer("gd").withBatchSize(0).withStepSize(1.2).withMaxEpochs(5000))
                .checkpoints(store, 1, false)
                .train(new LocalGradientSource(regression, s.finish()), null,
                        WeightInit.initialWeights(regression, 1), TrainingListener.NONE));
        assertTrue(e.epoch() > 1, "diverged at epoch " + e.epoch());
        Checkpoint last = store.latest().orElseThrow();
        assertEquals(e.epoch() - 1, last.epoch());
        for (double v : last.weights()) {
            assertTrue(Double.isFinite(v));
        }
    }
}
