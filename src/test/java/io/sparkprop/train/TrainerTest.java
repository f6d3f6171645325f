package io.sparkprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.BlockStacker;
import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Block;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import io.sparkprop.nn.WeightInit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainerTest {
    static final Topology NET = new Topology(new int[] {3, 5, 2}, Activation.TANH, Activation.SOFTMAX,
            Loss.CROSS_ENTROPY);

    static List<Block> blocks(int rows, long seed, boolean flipLabels) {
        return blocks(rows, seed, flipLabels, io.sparkprop.nn.Precision.FLOAT64);
    }

    static List<Block> blocks(int rows, long seed, boolean flipLabels, io.sparkprop.nn.Precision precision) {
        SplittableRandom r = new SplittableRandom(seed);
        BlockStacker s = new BlockStacker(3, TargetEncoder.classes(2, Loss.CROSS_ENTROPY), null, 16, precision);
        for (int i = 0; i < rows; i++) {
            double[] x = {r.nextDouble(-1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1)};
            int label = x[0] + x[1] > 0 ? 1 : 0;
            s.add(x, flipLabels ? 1 - label : label);
        }
        return s.finish();
    }

    @Test
    void theMeanGradientIsTheSumsOverTheCountThatCameBack() {
        // A source whose sums are known: every step returns S = (1, 2, ...) over m = 7 rows.
        GradientSource fixed = new GradientSource() {
            public long rowCount() {
                return 10;
            }

            public GradientSum gradient(double[] weights, Step step) {
                GradientSum s = new GradientSum(NET.parameterCount());
                double[] sums = s.sums();
                for (int i = 0; i < sums.length; i++) {
                    sums[i] = i + 1;
                }
                GradientSum counted = new GradientSum(NET.parameterCount());
                new io.sparkprop.nn.Backprop(NET, 8).evaluate(weights, new double[3 * 7], 0,
                        new double[2 * 7], 0, 7, counted); // adds m = 7 to the statistics
                return s.merge(counted);
            }

            public GradientSum evaluate(double[] weights) {
                throw new UnsupportedOperationException();
            }

            public void close() {
            }
        };
        TrainingConfig config = TrainingConfig.DEFAULTS.withOptimizer("gd").withBatchSize(3).withMaxEpochs(1)
                .withStepSize(0.5);
        double[] w0 = WeightInit.initialWeights(NET, 3);
        double[] w = new Trainer(NET, config).train(fixed, null, w0, TrainingListener.NONE).weights();
        // 3 steps (10 / 3 rounded), each w -= 0.5 * S / 7
        for (int i = 0; i < w.length; i++) {
            assertEquals(w0[i] - 3 * 0.5 * (i + 1) / 7.0, w[i], 1e-12);
        }
    }

    @Test
    void aBatchOfTheWholeDataIsExactlyFullBatch() {
        List<Block> data = blocks(100, 1, false);
        TrainingConfig full = TrainingConfig.DEFAULTS.withOptimizer("gd").withBatchSize(0).withMaxEpochs(5)
                .withStepSize(0.3);
        double[] w0 = WeightInit.initialWeights(NET, 2);
        double[] a = new Trainer(NET, full).train(new LocalGradientSource(NET, data), null, w0,
                TrainingListener.NONE).weights();
        double[] b = new Trainer(NET, full.withBatchSize(100)).train(new LocalGradientSource(NET, data), null, w0,
                TrainingListener.NONE).weights();
        assertArrayEquals(a, b, 0.0);
        double[] c = new Trainer(NET, full.withBatchSize(30)).train(new LocalGradientSource(NET, data), null, w0,
                TrainingListener.NONE).weights();
        assertTrue(a[0] != c[0], "a smaller batch takes other steps");
    }

    @Test
    void earlyStoppingKeepsTheBestEpochsWeights() {
        // Validation labels are the training labels flipped: as training improves, validation gets worse.
        List<Block> train = blocks(200, 1, false);
        List<Block> validation = blocks(100, 2, true);
        TrainingConfig config = TrainingConfig.DEFAULTS.withOptimizer("gd").withBatchSize(0).withMaxEpochs(50)
                .withStepSize(0.5).withEarlyStoppingPatience(3);
        List<double[]> weightsPerEpoch = new ArrayList<>();
        TrainingResult r = new Trainer(NET, config).train(new LocalGradientSource(NET, train),
                new LocalGradientSource(NET, validation), WeightInit.initialWeights(NET, 5), new TrainingListener() {
                    @Override
                    public void onEpoch(EpochStats stats, double[] weights) {
                        weightsPerEpoch.add(weights.clone());
                    }
                });
        int best = r.bestEpoch();
        double bestMetric = r.history().get(best - 1).validationMetric();
        for (EpochStats s : r.history()) {
            assertTrue(s.validationMetric() <= bestMetric, "epoch " + s.epoch() + " beats the kept one");
        }
        assertEquals(best + 3, r.history().size(), "stopped after 3 epochs without improvement");
        assertTrue(r.history().size() < 50);
        assertArrayEquals(weightsPerEpoch.get(best - 1), r.weights(), 0.0);
        double lastMetric = r.history().get(r.history().size() - 1).validationMetric();
        assertTrue(lastMetric < bestMetric, "validation got worse on purpose: " + bestMetric + " -> " + lastMetric);
    }

    @Test
    void l2DecaysTheWeightsButNotTheBiasesAndANonFiniteBiasGradientStops() {
        // Wide enough for the step's one pass over the gradient to run in slices on two cores or more.
        Topology wide = new Topology(new int[] {200, 300, 3}, Activation.RELU, Activation.SOFTMAX,
                Loss.CROSS_ENTROPY);
        int n = wide.parameterCount();
        double[] sums = new double[n];
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < n; i++) {
            sums[i] = r.nextDouble(-5, 5);
        }
        TrainingConfig config = TrainingConfig.DEFAULTS.withOptimizer("gd").withBatchSize(0).withMaxEpochs(1)
                .withStepSize(0.5).withRegParam(0.01);
        double[] w0 = new double[n];
        for (int i = 0; i < n; i++) {
            w0[i] = r.nextDouble(-1, 1); // biases too: initialised biases are 0, which no decay would show
        }
        double[] w = new Trainer(wide, config).train(fixedSums(wide, sums, 7), null, w0, TrainingListener.NONE)
                .weights();
        for (int l = 1; l <= wide.layerCount(); l++) {
            int weights = wide.weightOffset(l);
            int biases = wide.biasOffset(l);
            int next = l < wide.layerCount() ? wide.weightOffset(l + 1) : n;
            for (int i = weights; i < next; i++) {
                double g = sums[i] * (1.0 / 7) + (i < biases ? 0.01 * w0[i] : 0);
                assertEquals(w0[i] - 0.5 * g, w[i], 1e-12, "parameter " + i + (i < biases ? ", a weight" : ", a bias"));
            }
        }

        sums[wide.biasOffset(2)] = Double.POSITIVE_INFINITY;
        DivergenceException e = assertThrows(DivergenceException.class, () -> new Trainer(wide, config)
                .train(fixedSums(wide, sums, 7), null, w0, TrainingListener.NONE));
        assertTrue(e.getMessage().contains("the gradient is not finite"), e.getMessage());
    }

    /** A source whose every step returns {@code sums} (copied) over m = {@code rows} rows. */
    private static GradientSource fixedSums(Topology t, double[] sums, int rows) {
        return new GradientSource() {
            public long rowCount() {
                return rows;
            }

            public GradientSum gradient(double[] weights, Step step) {
                return GradientSum.of(t.parameterCount(), sums.clone(), 0.0, rows, rows, 0.0);
            }

            public GradientSum evaluate(double[] weights) {
                throw new UnsupportedOperationException();
            }

            public void close() {
            }
        };
    }

    @Test
    void aNonFiniteLossStopsWithTheEpochAndStepNamed() {
        List<Block> data = blocks(50, 1, false);
        Topology regression = new Topology(new int[] {3, 4, 1}, Activation.RELU, Activation.IDENTITY, Loss.QUADRATIC);
        BlockStacker s = new BlockStacker(3, TargetEncoder.regression(0, 1), null, 16);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 50; i++) {
            s.add(new double[] {r.nextDouble(), r.nextDouble(), r.nextDouble()}, 100 * r.nextDouble());
        }
        DivergenceException e = assertThrows(DivergenceException.class, () -> new Trainer(regression,
                TrainingConfig.DEFAULTS.withOptimizer("gd").withBatchSize(0).withStepSize(50).withMaxEpochs(1000))
                .train(new LocalGradientSource(regression, s.finish()), null,
                        WeightInit.initialWeights(regression, 1), TrainingListener.NONE));
        assertTrue(e.getMessage().matches("training diverged at epoch \\d+ step 1/1: the (loss|gradient) is not"
                + " finite; try a smaller stepSize \\(now 50.0\\)"), e.getMessage());
        assertTrue(data.size() > 0);
    }
}
