package io.sparkprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.BlockStacker;
import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Block;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import io.sparkprop.nn.WeightInit;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShardTest {
    static final Topology NET = new Topology(new int[] {3, 6, 3}, Activation.RELU, Activation.SOFTMAX,
            Loss.CROSS_ENTROPY);
    static final TargetEncoder TARGETS = TargetEncoder.classes(3, Loss.CROSS_ENTROPY);

    static double[][] rows(int n) {
        SplittableRandom r = new SplittableRandom(11);
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {r.nextDouble(-1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1)};
        }
        return x;
    }

    static int label(double[] x) {
        return x[0] > 0.3 ? 2 : x[1] > 0 ? 1 : 0;
    }

    /** Rows {@code order[from..to)} stacked into blocks of {@code blockRows}. */
    static Shard shard(double[][] x, int[] order, int from, int to, int blockRows) {
        BlockStacker s = new BlockStacker(3, TARGETS, null, blockRows);
        for (int i = from; i < to; i++) {
            s.add(x[order[i]], label(x[order[i]]));
        }
        return new Shard(s.finish());
    }

    @Test
    void aStepTakesTheSameRowsHoweverTheyArePartitionedOrOrdered() {
        int n = 500;
        double[][] x = rows(n);
        int[] identity = new int[n];
        int[] shuffled = new int[n];
        for (int i = 0; i < n; i++) {
            identity[i] = i;
            shuffled[i] = i;
        }
        SplittableRandom r = new SplittableRandom(3);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        Shard whole = shard(x, identity, 0, n, 64);
        List<Shard> parts = List.of(shard(x, shuffled, 0, 7, 4), shard(x, shuffled, 7, 260, 16),
                shard(x, shuffled, 260, 260, 16), shard(x, shuffled, 260, n, 100));
        double[] w = WeightInit.initialWeights(NET, 1);
        ShardWorkspace ws = new ShardWorkspace(NET, 8);
        int steps = 9;
        for (int epoch = 1; epoch <= 2; epoch++) {
            long total = 0;
            for (int s = 0; s < steps; s++) {
                Step step = new Step(77, epoch, s, steps);
                GradientSum one = new GradientSum(NET.parameterCount());
                whole.accumulate(w, step, 0, ws, one);
                GradientSum split = new GradientSum(NET.parameterCount());
                for (int p = 0; p < parts.size(); p++) {
                    GradientSum part = new GradientSum(NET.parameterCount());
                    parts.get(p).accumulate(w, step, p, ws, part);
                    split.merge(part);
                }
                assertEquals(one.count(), split.count(), "epoch " + epoch + " step " + s);
                assertEquals(one.lossSum(), split.lossSum(), 1e-9);
                assertArrayEquals(one.sums(), split.sums(), 1e-9);
                assertTrue(one.count() > 500 / 9 / 2 && one.count() < 500 / 9 * 2, "about 56 rows: " + one.count());
                total += one.count();
            }
            assertEquals(n, total, "every row once an epoch");
        }
    }

    @Test
    void aFixedPartitioningGivesBitwiseTheSameSumsEveryTime() {
        double[][] x = rows(300);
        int[] order = new int[300];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double[] w = WeightInit.initialWeights(NET, 2);
        Step step = new Step(5, 3, 4, 6);
        GradientSum a = new GradientSum(NET.parameterCount());
        shard(x, order, 0, 300, 32).accumulate(w, step, 0, new ShardWorkspace(NET, 8), a);
        // a new shard over new block objects (as after a lost executor), a new workspace
        GradientSum b = new GradientSum(NET.parameterCount());
        shard(x, order, 0, 300, 32).accumulate(w, step, 0, new ShardWorkspace(NET, 8), b);
        assertArrayEquals(a.sums(), b.sums(), 0.0);
        assertEquals(a.lossSum(), b.lossSum(), 0.0);
    }

    @Test
    void handMadeBlocksWithoutKeysAreKnownByTheirContent() {
        double[][] x = rows(40);
        BlockStacker s = new BlockStacker(3, TARGETS, null, 40);
        for (double[] row : x) {
            s.add(row, label(row));
        }
        Block b = s.finish().get(0);
        Shard bare = new Shard(List.of(new Block(3, 3, b.size(), b.features(), b.targets())));
        double[] w = WeightInit.initialWeights(NET, 2);
        long total = 0;
        for (int t = 0; t < 4; t++) {
            GradientSum sum = new GradientSum(NET.parameterCount());
            bare.accumulate(w, new Step(1, 1, t, 4), 0, new ShardWorkspace(NET, 8), sum);
            total += sum.count();
        }
        assertEquals(40, total);
    }
}
