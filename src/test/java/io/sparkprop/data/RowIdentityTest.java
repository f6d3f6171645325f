package io.sparkprop.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.Vectors;
import org.junit.jupiter.api.Test;

class RowIdentityTest {

    @Test
    void theSameContentIsTheSameRowHoweverItIsStored() {
        double[] x = {0, 1.5, 0, -2, 0};
        long dense = RowIdentity.ofContent(Vectors.dense(x), 3.0);
        assertEquals(dense, RowIdentity.ofContent(Vectors.sparse(5, new int[] {1, 3}, new double[] {1.5, -2}), 3.0));
        assertEquals(dense, RowIdentity.ofContent(new double[] {9, 0, 1.5, 0, -2, 0}, 1, 5, 3.0), "at an offset");
        assertEquals(dense, RowIdentity.ofContent(Vectors.dense(-0.0, 1.5, 0, -2, 0), 3.0), "-0.0 is 0.0");
    }

    @Test
    void anyChangeOfContentIsAnotherRow() {
        long base = RowIdentity.ofContent(Vectors.dense(1, 2, 3), 0);
        assertNotEquals(base, RowIdentity.ofContent(Vectors.dense(1, 2, 3), 1), "label");
        assertNotEquals(base, RowIdentity.ofContent(Vectors.dense(2, 1, 3), 0), "order of features");
        assertNotEquals(base, RowIdentity.ofContent(Vectors.dense(1, 2, Math.nextUp(3.0)), 0), "last bit");
        assertNotEquals(base, RowIdentity.ofContent(Vectors.dense(1, 2, 3), Vectors.dense(0.0)), "vector label");
        assertNotEquals(RowIdentity.ofContent(Vectors.dense(0, 1), 0), RowIdentity.ofContent(Vectors.dense(1, 0), 0));
    }

    @Test
    void idsAreKnownByValueNotByType() {
        assertEquals(RowIdentity.ofId(7), RowIdentity.ofId(7L));
        assertEquals(RowIdentity.ofId(7L), RowIdentity.ofId(7.0));
        assertNotEquals(RowIdentity.ofId(7L), RowIdentity.ofId(8L));
        assertEquals(RowIdentity.ofId("row-12"), RowIdentity.ofId(new String("row-12")));
        assertNotEquals(RowIdentity.ofId("row-12"), RowIdentity.ofId("row-13"));
        assertNotEquals(RowIdentity.ofId("7"), RowIdentity.ofId(7L));
        assertThrows(IllegalArgumentException.class, () -> RowIdentity.ofId(null));
    }

    @Test
    void aFractionOfRowsIsHeldOutAndTheSaltsAreIndependent() {
        SplittableRandom r = new SplittableRandom(1);
        int rows = 20_000;
        int test = 0;
        int validation = 0;
        int both = 0;
        for (int i = 0; i < rows; i++) {
            long id = RowIdentity.ofContent(Vectors.dense(r.nextDouble(), r.nextDouble()), r.nextInt(3));
            boolean t = RowIdentity.heldOut(42, RowIdentity.TEST, id, 0.2);
            boolean v = RowIdentity.heldOut(42, RowIdentity.VALIDATION, id, 0.1);
            test += t ? 1 : 0;
            validation += v ? 1 : 0;
            both += t && v ? 1 : 0;
        }
        // binomial standard deviations: 57, 42 and 28 rows
        assertEquals(4000, test, 300);
        assertEquals(2000, validation, 220);
        assertEquals(400, both, 150);
    }

    @Test
    void stepsSpreadRowsEvenlyAndReshuffleEachEpoch() {
        int steps = 10;
        int[] perStep = new int[steps];
        int sameStepNextEpoch = 0;
        long e1 = RowIdentity.epochKey(5, 1);
        long e2 = RowIdentity.epochKey(5, 2);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            long id = RowIdentity.ofId(i);
            seen.add(id);
            int s = RowIdentity.stepOf(e1, id, steps);
            perStep[s]++;
            sameStepNextEpoch += s == RowIdentity.stepOf(e2, id, steps) ? 1 : 0;
        }
        assertEquals(10_000, seen.size(), "no two ids collide");
        for (int n : perStep) {
            assertEquals(1000, n, 150); // sd 30
        }
        assertEquals(1000, sameStepNextEpoch, 150, "epoch 2 is a new draw, not a rotation of epoch 1");
        assertTrue(RowIdentity.epochKey(5, 1) != RowIdentity.epochKey(6, 1));
    }
}
