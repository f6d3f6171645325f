package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RMSE, MAE and R^2 against values worked out by hand; merging partials in any grouping. */
class RegressionErrorsTest {
    static final double EPS = 1e-12;

    // predictions (2, 4, 7) for true values (1, 5, 9): errors 1, -1, -2
    static final double[] PREDICTED = {2, 4, 7};
    static final double[] ACTUAL = {1, 5, 9};

    static RegressionErrors of(double offset, int from, int to) {
        RegressionErrors e = new RegressionErrors();
        for (int i = from; i < to; i++) {
            e.add(PREDICTED[i] + offset, ACTUAL[i] + offset);
        }
        return e;
    }

    @Test
    void rmseMaeAndR2ByHand() {
        RegressionErrors e = of(0, 0, 3);
        assertEquals(3, e.count());
        assertEquals(Math.sqrt(2), e.rmse(), EPS);      // sqrt((1 + 1 + 4) / 3)
        assertEquals(4.0 / 3, e.mae(), EPS);             // (1 + 1 + 2) / 3
        assertEquals(1 - 6.0 / 32, e.r2(), EPS);         // mean 5, deviations -4, 0, 4: 1 - 6 / 32
    }

    @Test
    void partialsMergeToTheSameMetricsInAnyGrouping() {
        RegressionErrors whole = of(0, 0, 3);
        RegressionErrors left = of(0, 0, 1).merge(of(0, 1, 3));
        RegressionErrors right = of(0, 0, 2).merge(of(0, 2, 3)).merge(new RegressionErrors());
        RegressionErrors fromEmpty = new RegressionErrors().merge(of(0, 0, 3));
        for (RegressionErrors e : new RegressionErrors[] {left, right, fromEmpty}) {
            assertEquals(whole.count(), e.count());
            assertEquals(whole.rmse(), e.rmse(), EPS);
            assertEquals(whole.mae(), e.mae(), EPS);
            assertEquals(whole.r2(), e.r2(), EPS);
        }
    }

    @Test
    void largeValuesWithLittleSpreadKeepTheirR2() {
        // Same errors and deviations, shifted by 1e9: sum(y^2)/n - mean^2 would lose every digit here.
        RegressionErrors e = of(1e9, 0, 2).merge(of(1e9, 2, 3));
        assertEquals(1 - 6.0 / 32, e.r2(), 1e-9);
        assertEquals(Math.sqrt(2), e.rmse(), 1e-6);
    }

    @Test
    void withoutRowsOrSpreadTheMetricsAreNaN() {
        assertTrue(Double.isNaN(new RegressionErrors().rmse()));
        assertTrue(Double.isNaN(new RegressionErrors().mae()));
        RegressionErrors constant = new RegressionErrors().add(1, 3).add(2, 3);
        assertTrue(Double.isNaN(constant.r2()), "true values that do not vary leave R^2 undefined");
        assertEquals(1.5, constant.mae(), EPS);
    }
}
