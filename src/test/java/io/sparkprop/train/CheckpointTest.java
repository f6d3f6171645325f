package io.sparkprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.BlockStacker;
import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Block;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Precision;
import io.sparkprop.nn.Topology;
import io.sparkprop.nn.WeightInit;
import io.sparkprop.spark.HadoopFileStore;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Checkpoints written and read through Hadoop's FileSystem API, on a plain local path and on a file:// URI. */
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

    /** A store on {@code dir} given as a plain path. */
    static CheckpointStore store(Path dir, int keep) {
        return new CheckpointStore(new HadoopFileStore(dir.toString(), new Configuration()), keep);
    }

    /** The same folder given as a file:// URI. */
    static CheckpointStore storeByUri(Path dir, int keep) {
        String uri = dir.toUri().toString();
        assertTrue(uri.startsWith("file:/"), uri);
        return new CheckpointStore(new HadoopFileStore(uri, new Configuration()), keep);
    }

    /** Runs until {@code crashAfter} has been reported, before that epoch's checkpoint is written. */
    static void runAndCrash(Trainer trainer, List<Block> data, List<Block> validation, double[] w0, int crashAfter) {
        assertThrows(Crash.class, () -> trainer.train(new LocalGradientSource(NET, data),
                validation == null ? null : new LocalGradientSource(NET, validation), w0, new TrainingListener() {
                    @Override
                    public void onEpoch(EpochStats stats, double[] weights) {
                        if (stats.epoch() == crashAfter) {
                            throw new Crash();
                        }
                    }
                }));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gd,FLOAT64,0", "momentum,FLOAT64,0", "adam,FLOAT64,0", "lamb,FLOAT64,0", "adam,FLOAT32,0",
        "lamb,FLOAT32,0", "adam,FLOAT64,0.3", "adam,FLOAT32,0.3"})
    void aResumedRunEndsWithBitwiseTheSameWeights(String optimizer, Precision precision, double dropout,
                                                  @TempDir Path dir) {
        List<Block> data = TrainerTest.blocks(150, 1, false, precision);
        List<Block> validation = TrainerTest.blocks(50, 2, false, precision);
        double[] w0 = WeightInit.initialWeights(NET, 4);
        TrainingConfig c = config(optimizer).withEarlyStoppingPatience(10)
                .withDropout(new io.sparkprop.nn.Dropout(new double[] {dropout}));
        TrainingResult straight = new Trainer(NET, c).train(new LocalGradientSource(NET, data),
                new LocalGradientSource(NET, validation), w0, TrainingListener.NONE);

        CheckpointStore store = store(dir, 2);
        runAndCrash(new Trainer(NET, c).checkpoints(store, 1, false), data, validation, w0, 4);
        assertEquals(3, store.latest().orElseThrow().epoch());
        assertEquals(2, store.checkpoints().size(), "only the newest 2 are kept");

        TrainingResult resumed = new Trainer(NET, c).checkpoints(store, 1, true).train(
                new LocalGradientSource(NET, data), new LocalGradientSource(NET, validation), w0, TrainingListener.NONE);
        assertArrayEquals(straight.weights(), resumed.weights(), 0.0);
        assertEquals(straight.bestEpoch(), resumed.bestEpoch());
        assertEquals(straight.history().size(), resumed.history().size());
        assertEquals(straight.history().get(5).trainLoss(), resumed.history().get(5).trainLoss(), 0.0);
    }

    @Test
    void aRunWrittenThroughAFileUriResumesFromThePlainPathOfTheSameFolder(@TempDir Path dir) {
        List<Block> data = TrainerTest.blocks(150, 1, false);
        double[] w0 = WeightInit.initialWeights(NET, 4);
        TrainingConfig c = config("adam");
        double[] straight = new Trainer(NET, c).train(new LocalGradientSource(NET, data), null, w0,
                TrainingListener.NONE).weights();

        runAndCrash(new Trainer(NET, c).checkpoints(storeByUri(dir, 3), 1, false), data, null, w0, 3);
        assertTrue(Files.isRegularFile(dir.resolve("epoch-000002.committed")));
        assertEquals(2, store(dir, 3).latest().orElseThrow().epoch());

        double[] resumed = new Trainer(NET, c).checkpoints(store(dir, 3), 1, true)
                .train(new LocalGradientSource(NET, data), null, w0, TrainingListener.NONE).weights();
        assertArrayEquals(straight, resumed, 0.0);
    }

    @Test
    void resumeRefusesOtherSettingsNamingEachAndAMissingCheckpoint(@TempDir Path dir) {
        List<Block> data = TrainerTest.blocks(60, 1, false);
        double[] w0 = WeightInit.initialWeights(NET, 4);
        CheckpointStore store = storeByUri(dir, 3);
        var none = assertThrows(IllegalArgumentException.class, () -> new Trainer(NET, config("adam"))
                .checkpoints(store, 1, true).train(new LocalGradientSource(NET, data), null, w0, TrainingListener.NONE));
        assertTrue(none.getMessage().matches("no checkpoint in file:/.*/" + dir.getFileName() + " to resume from"),
                none.getMessage());

        new Trainer(NET, config("adam")).checkpoints(store, 2, false)
                .train(new LocalGradientSource(NET, data), null, w0, TrainingListener.NONE);
        var other = assertThrows(IllegalArgumentException.class, () -> new Trainer(NET,
                config("adam").withStepSize(0.1).withBatchSize(16)).checkpoints(store, 1, true)
                .train(new LocalGradientSource(NET, data), null, WeightInit.initialWeights(NET, 5),
                        TrainingListener.NONE));
        String m = other.getMessage();
        assertTrue(m.startsWith("cannot resume from file:"), m);
        assertTrue(m.contains("batchSize was 32, is 16"), m);
        assertTrue(m.contains("stepSize was 0.05, is 0.1"), m);
        assertTrue(m.contains("initialWeights was "), m);
        assertFalse(m.contains("optimizer was"), "only what differs is named: " + m);

        var dropout = assertThrows(IllegalArgumentException.class, () -> new Trainer(NET,
                config("adam").withDropout(new io.sparkprop.nn.Dropout(new double[] {0.2}))).checkpoints(store, 1, true)
                .train(new LocalGradientSource(NET, data), null, w0, TrainingListener.NONE));
        assertTrue(dropout.getMessage().endsWith("(dropout was not set, is 0.2)"), dropout.getMessage());
    }

    @Test
    void aCheckpointWithoutItsCommitMarkerIsSkipped(@TempDir Path dir) throws Exception {
        List<Block> data = TrainerTest.blocks(60, 1, false);
        double[] w0 = WeightInit.initialWeights(NET, 4);
        TrainingConfig c = config("momentum").withMaxEpochs(4);
        double[] straight = new Trainer(NET, c).train(new LocalGradientSource(NET, data), null, w0,
                TrainingListener.NONE).weights();
        CheckpointStore store = store(dir, 3);
        runAndCrash(new Trainer(NET, c).checkpoints(store, 1, false), data, null, w0, 3);
        // Epoch 3's files fully written but the marker not: as a store without atomic rename leaves them.
        Files.copy(dir.resolve("epoch-000002.state.bin"), dir.resolve("epoch-000003.state.bin"));
        Files.copy(dir.resolve("epoch-000002.configuration.properties"),
                dir.resolve("epoch-000003.configuration.properties"));
        Path half = Files.createDirectories(dir.resolve(".writing-123"));
        Files.write(half.resolve("state.bin"), new byte[] {1, 2, 3});

        assertEquals(2, store.latest().orElseThrow().epoch());
        assertEquals(List.of("epoch-000001", "epoch-000002"), store.checkpoints());
        double[] resumed = new Trainer(NET, c).checkpoints(store, 1, true)
                .train(new LocalGradientSource(NET, data), null, w0, TrainingListener.NONE).weights();
        assertArrayEquals(straight, resumed, 0.0);
        assertTrue(Files.isRegularFile(dir.resolve("epoch-000003.committed")), "the resumed run rewrote epoch 3");
        assertEquals(List.of("epoch-000002", "epoch-000003", "epoch-000004"), store.checkpoints());
    }

    @Test
    void aCommittedCheckpointWhoseFileWasCutShortIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        List<Block> data = TrainerTest.blocks(60, 1, false);
        CheckpointStore store = store(dir, 3);
        new Trainer(NET, config("gd").withMaxEpochs(1)).checkpoints(store, 1, false)
                .train(new LocalGradientSource(NET, data), null, WeightInit.initialWeights(NET, 4), TrainingListener.NONE);
        Path state = dir.resolve("epoch-000001.state.bin");
        byte[] bytes = Files.readAllBytes(state);
        Files.delete(state);
        Files.write(state, java.util.Arrays.copyOf(bytes, bytes.length - 8));
        var e = assertThrows(UncheckedIOException.class, store::latest);
        assertTrue(e.getMessage().contains("epoch-000001.state.bin has "
                + (bytes.length - 8) + " bytes, the commit marker says " + bytes.length), e.getMessage());
    }

    @Test
    void aDivergingRunKeepsItsLastGoodCheckpoint(@TempDir Path dir) {
        Topology regression = new Topology(new int[] {3, 4, 1}, Activation.RELU, Activation.IDENTITY, Loss.QUADRATIC);
        BlockStacker s = new BlockStacker(3, TargetEncoder.regression(0, 1), null, 16);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 50; i++) {
            s.add(new double[] {r.nextDouble(), r.nextDouble(), r.nextDouble()}, 100 * r.nextDouble());
        }
        CheckpointStore store = store(dir, 3);
        DivergenceException e = assertThrows(DivergenceException.class, () -> new Trainer(regression,
                TrainingConfig.DEFAULTS.withOptimizer("gd").withBatchSize(0).withStepSize(6.0).withMaxEpochs(5000))
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
