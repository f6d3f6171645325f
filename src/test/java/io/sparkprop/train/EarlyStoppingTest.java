package io.sparkprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    @Test
    void anErrorMetricKeepsTheLowestEpochAndStopsAfterPatienceWorseOnes() {
        EarlyStopping rmse = new EarlyStopping(2, false);
        double[] w = {1, 2};
        EarlyStopping.State s = rmse.after(EarlyStopping.State.NONE, 1, 5.0, w);
        w[0] = 9; // the kept weights are a copy
        s = rmse.after(s, 2, 3.0, new double[] {3, 3});
        assertEquals(2, s.bestEpoch());
        s = rmse.after(s, 3, 3.0, new double[] {4, 4}); // equal is not better
        assertFalse(rmse.shouldStop(s));
        s = rmse.after(s, 4, 7.0, new double[] {5, 5});
        assertTrue(rmse.shouldStop(s));
        assertEquals(2, s.bestEpoch());
        assertEquals(-3.0, s.bestScore());
        assertArrayEquals(new double[] {3, 3}, s.bestWeights(), 0.0);
    }

    @Test
    void accuracyKeepsTheHighestAndANanNeverImproves() {
        EarlyStopping accuracy = new EarlyStopping(1, true);
        double[] w = {1, 2};
        EarlyStopping.State s = accuracy.after(EarlyStopping.State.NONE, 1, 0.5, w);
        assertArrayEquals(w, s.bestWeights(), 0.0);
        assertTrue(accuracy.shouldStop(accuracy.after(s, 2, Double.NaN, w)));
        assertEquals(2, accuracy.after(s, 2, 0.6, w).bestEpoch());
    }

    @Test
    void patienceZeroNeverStopsAndKeepsNothing() {
        EarlyStopping off = new EarlyStopping(0, true);
        EarlyStopping.State s = off.after(EarlyStopping.State.NONE, 1, 0.9, new double[] {1});
        assertSame(EarlyStopping.State.NONE, s);
        assertNull(s.bestWeights());
        assertFalse(off.shouldStop(s));
    }
}
