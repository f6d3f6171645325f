package io.sparkprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.BadRowException;
import io.sparkprop.data.BlockStacker;
import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Block;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Precision;
import io.sparkprop.nn.WeightInit;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sample weights: S_W = sum_i w_i dZ_i A_i^T and m = sum_i w_i. A row of weight 2 must give what
 * the row twice gives, a row of weight 0 what leaving it out gives, in full batch and in every
 * mini-batch step (a copy of a row has its identity, so it falls in the same step).
 */
class WeightedRowsTest {
    static final TargetEncoder TARGETS = TargetEncoder.classes(2, Loss.CROSS_ENTROPY);

    @ParameterizedTest
    @EnumSource(Precision.class)
    void weightTwoIsTheRowTwiceAndWeightZeroIsTheRowLeftOut(Precision precision) {
        SplittableRandom r = new SplittableRandom(5);
        double[][] x = new double[60][];
        double[] weights = new double[60];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {r.nextDouble(-1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1)};
            weights[i] = i % 3 == 0 ? 2.0 : i % 7 == 0 ? 0.0 : 1.0;
        }
        BlockStacker weighted = new BlockStacker(3, TARGETS, null, 16, precision, true);
        BlockStacker repeated = new BlockStacker(3, TARGETS, null, 16, precision, false);
        for (int i = 0; i < x.length; i++) {
            double label = x[i][0] + x[i][1] > 0 ? 1 : 0;
            weighted.weighNext(weights[i]);
            weighted.add(x[i], label);
            for (int copy = 0; copy < (int) weights[i]; copy++) {
                repeated.add(x[i], label);
            }
        }
        List<Block> a = weighted.finish();
        List<Block> b = repeated.finish();
        double[] w = WeightInit.initialWeights(TrainerTest.NET, 3);
        for (Step step : new Step[] {new Step(1, 1, 0, 1), new Step(1, 2, 0, 3), new Step(1, 2, 2, 3)}) {
            GradientSum sa = new LocalGradientSource(TrainerTest.NET, a, 8).gradient(w, step);
            GradientSum sb = new LocalGradientSource(TrainerTest.NET, b, 8).gradient(w, step);
            assertEquals(sb.weight(), sa.weight(), 0.0, "m = sum of the weights, " + step);
            assertTrue(sa.weight() > 0, "rows in step " + step);
            assertEquals(sb.lossSum(), sa.lossSum(), 1e-12 * Math.abs(sb.lossSum()));
            assertEquals(sb.correct(), sa.correct(), 0.0);
            double[] ga = sa.meanGradientInPlace();
            double[] gb = sb.meanGradientInPlace();
            for (int i = 0; i < ga.length; i++) {
                // float32 adds a chunk in float, in another grouping of the same rows
                double tolerance = precision == Precision.FLOAT32 ? 1e-6 : 1e-12;
                assertEquals(gb[i], ga[i], tolerance * (1 + Math.abs(gb[i])), "parameter " + i + ", " + step);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void aNegativeOrNotFiniteWeightIsABadRow(Precision precision) {
        BlockStacker s = new BlockStacker(3, TARGETS, null, 16, precision, true);
        s.weighNext(1.5);
        s.add(new double[] {1, 2, 3}, 1);
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            BadRowException e = assertThrows(BadRowException.class, () -> s.weighNext(bad));
            assertEquals("weight " + bad + " is not a finite number >= 0", e.reason());
            assertEquals(1, e.rowIndex());
        }
        assertArrayEquals(new double[] {1.5}, s.finish().get(0).weights(), 0.0);
    }
}
