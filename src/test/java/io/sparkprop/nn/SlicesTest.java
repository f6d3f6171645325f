package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class SlicesTest {

    @Test
    void everyElementIsVisitedOnceWhateverTheLengthAndSliceSize() {
        for (int n : new int[] {0, 1, 9, 10, 11, 99, 1001, 3 * Slices.MIN_SLICE + 17}) {
            for (int minSlice : new int[] {1, 10, Slices.MIN_SLICE}) {
                AtomicIntegerArray visits = new AtomicIntegerArray(n);
                AtomicInteger passes = new AtomicInteger();
                Slices.run(n, minSlice, (from, to) -> {
                    passes.incrementAndGet();
                    assertTrue(0 <= from && from <= to && to <= n, from + ".." + to + " of " + n);
                    for (int i = from; i < to; i++) {
                        visits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, visits.get(i), "element " + i + " of " + n + ", slices of " + minSlice);
                }
                int cores = Runtime.getRuntime().availableProcessors();
                assertEquals(Math.max(1, Math.min(cores, n / minSlice)), passes.get(), n + " in slices of " + minSlice);
            }
        }
    }

    @Test
    void aCheckHoldsOnlyWhenItHoldsOnEverySlice() {
        int n = 4 * Slices.MIN_SLICE;
        for (int bad : new int[] {0, Slices.MIN_SLICE, n / 2, n - 1}) {
            boolean[] ok = new boolean[n];
            java.util.Arrays.fill(ok, true);
            ok[bad] = false;
            assertFalse(Slices.all(n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    if (!ok[i]) {
                        return false;
                    }
                }
                return true;
            }), "the one that fails at " + bad);
        }
        assertTrue(Slices.all(n, (from, to) -> true));
        assertTrue(Slices.all(0, (from, to) -> true));
    }

    @Test
    void aFailingSliceFailsTheRunOnceEverySliceHasEnded() {
        int n = 4 * Slices.MIN_SLICE;
        AtomicIntegerArray visits = new AtomicIntegerArray(n);
        IllegalStateException thrown = new IllegalStateException("a slice failed");
        IllegalStateException caught = assertThrows(IllegalStateException.class, () -> Slices.run(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                visits.incrementAndGet(i);
            }
            if (to == n) { // the last slice, which runs on a helper where there are two cores or more
                throw thrown;
            }
        }));
        assertSame(thrown, caught);
        for (int i = 0; i < n; i++) {
            assertEquals(1, visits.get(i), "every slice ran to its end before the failure came back");
        }
    }

    @Test
    void aPassThatRunsSlicesItselfDoesNotWaitForever() {
        int n = 4 * Slices.MIN_SLICE;
        AtomicIntegerArray visits = new AtomicIntegerArray(n);
        Slices.run(2, 1, (outerFrom, outerTo) -> Slices.run(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                visits.incrementAndGet(i);
            }
        }));
        int runs = Math.min(2, Runtime.getRuntime().availableProcessors());
        for (int i = 0; i < n; i++) {
            assertEquals(runs, visits.get(i), "element " + i);
        }
    }
}
