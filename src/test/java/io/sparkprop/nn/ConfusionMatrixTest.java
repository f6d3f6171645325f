package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Accuracy, precision, recall and F1 against values worked out by hand. */
class ConfusionMatrixTest {
    static final double EPS = 1e-15;

    /**
     * true \\ predicted   0  1  2
     *        0            5  1  0
     *        1            2  3  1
     *        2            0  0  4
     */
    static ConfusionMatrix threeClasses() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(0, 0, 5);
        m.add(0, 1, 1);
        m.add(1, 0, 2);
        m.add(1, 1, 3);
        m.add(1, 2, 1);
        m.add(2, 2, 3);
        m.add(2, 2, 1); // counts add up
        return m;
    }

    @Test
    void accuracyIsTheDiagonalOverAllRows() {
        ConfusionMatrix m = threeClasses();
        assertEquals(16, m.rows());
        assertEquals(12.0 / 16, m.accuracy(), EPS); // (5 + 3 + 4) / 16
        assertArrayEquals(new long[] {2, 3, 1}, m.counts()[1]);
    }

    @Test
    void precisionRecallAndF1PerClass() {
        ConfusionMatrix m = threeClasses();
        // class 0: predicted 0 in column 0: 5 + 2 + 0 = 7; true 0 in row 0: 5 + 1 + 0 = 6
        assertEquals(5.0 / 7, m.precision(0), EPS);
        assertEquals(5.0 / 6, m.recall(0), EPS);
        assertEquals(10.0 / 13, m.f1(0), EPS); // 2 (5/7)(5/6) / (5/7 + 5/6) = (50/42) / (65/42)
        // class 1: column 1 = 1 + 3 + 0 = 4, row 1 = 2 + 3 + 1 = 6
        assertEquals(3.0 / 4, m.precision(1), EPS);
        assertEquals(1.0 / 2, m.recall(1), EPS);
        assertEquals(3.0 / 5, m.f1(1), EPS); // 2 (3/8) / (5/4)
        // class 2: column 2 = 0 + 1 + 4 = 5, row 2 = 4
        assertEquals(4.0 / 5, m.precision(2), EPS);
        assertEquals(1.0, m.recall(2), EPS);
        assertEquals(8.0 / 9, m.f1(2), EPS); // 2 (4/5) / (9/5)
    }

    @Test
    void aClassNeverSeenNorPredictedScoresZeroNotNaN() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(0, 0, 2);
        m.add(1, 0, 1);
        assertEquals(0.0, m.precision(2));
        assertEquals(0.0, m.recall(2));
        assertEquals(0.0, m.f1(2));
        assertEquals(0.0, m.precision(1)); // never predicted
        assertEquals(0.0, m.recall(1));    // seen once, never right
        assertTrue(Double.isNaN(new ConfusionMatrix(2).accuracy()), "no rows, no accuracy");
    }

    @Test
    void aClassOutsideTheMatrixIsRejected() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.add(2, 0, 1));
        assertTrue(e.getMessage().contains("outside 0..1"), e.getMessage());
    }
}
