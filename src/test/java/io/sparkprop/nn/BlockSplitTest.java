package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sums over any split of the rows into blocks, merged, equal the sums over one block. */
class BlockSplitTest {

    @ParameterizedTest(name = "blocks of {0}")
    @ValueSource(ints = {1, 7, 128, 300})
    void mergedPartialSumsEqualOneBlock(int blockSize) {
        Topology t = new Topology(new int[] {6, 8, 5, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        int rows = 300;
        SplittableRandom random = new SplittableRandom(3);
        double[] x = random.doubles(6L * rows, -1, 1).toArray();
        double[] y = TestData.targets(t, rows, random);
        double[] w = WeightInit.initialWeights(t, 11);

        GradientSum whole = new GradientSum(t.parameterCount());
        new Backprop(t, rows).accumulate(w, x, 0, y, 0, rows, whole);

        GradientSum merged = new GradientSum(t.parameterCount());
        Backprop small = new Backprop(t, blockSize);
        for (int start = 0; start < rows; start += blockSize) {
            int cols = Math.min(blockSize, rows - start);
            GradientSum part = new GradientSum(t.parameterCount());
            small.accumulate(w, x, start * 6, y, start * 3, cols, part);
            merged.merge(part);
        }

        assertEquals(whole.count(), merged.count());
        assertEquals(whole.correct(), merged.correct());
        assertEquals(1.0, merged.lossSum() / whole.lossSum(), 1e-12);
        double scale = 0;
        for (double v : whole.sums()) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < whole.sums().length; i++) {
            assertEquals(whole.sums()[i], merged.sums()[i], 1e-12 * scale, "parameter " + i);
        }
    }
}
