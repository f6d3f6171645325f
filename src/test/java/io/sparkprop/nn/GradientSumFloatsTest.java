package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A float32 pass's partial sums added into an empty sum stay floats until something reads them
 * as doubles; every way of reading them gives what adding them into double zeros gave.
 */
class GradientSumFloatsTest {
    private static final int N = 1000;

    private static float[] floats(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[N];
        for (int i = 0; i < N; i++) {
            f[i] = (float) r.nextGaussian();
        }
        f[3] = 0f;
        f[4] = Float.MIN_VALUE;
        return f;
    }

    /** What the sums were before floats were kept: each added into double zeros, in turn. */
    private static double[] addedInDouble(float[]... parts) {
        double[] s = new double[N];
        for (float[] p : parts) {
            for (int i = 0; i < N; i++) {
                s[i] += p[i];
            }
        }
        return s;
    }

    private static void assertSameBits(double[] expected, double[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]), "value " + i);
        }
    }

    @Test
    void oneAdditionIntoAnEmptySumStaysFloatsUntilReadAsDoubles() {
        float[] a = floats(1);
        GradientSum sum = new GradientSum(N);
        sum.addFloats(a);
        assertTrue(sum.hasSums());
        assertArrayEquals(a, sum.floatSums());
        assertNotSame(a, sum.floatSums(), "a copy: the pass reuses its partial sums");
        assertSameBits(addedInDouble(a), sum.sums());
        assertNull(sum.floatSums(), "read as doubles, they are doubles from then on");
    }

    @Test
    void aSecondAdditionOrSumsHandedOutAddInDouble() {
        float[] a = floats(1);
        float[] b = floats(2);
        GradientSum twice = new GradientSum(N);
        twice.addFloats(a);
        twice.addFloats(b);
        assertNull(twice.floatSums());
        assertSameBits(addedInDouble(a, b), twice.sums());

        GradientSum written = new GradientSum(N);
        written.sums()[7] = 5; // a caller that had the doubles may have added into them
        written.addFloats(a);
        assertNull(written.floatSums());
        double[] expected = addedInDouble(a);
        expected[7] = 5 + (double) a[7];
        assertSameBits(expected, written.sums());
    }

    @Test
    void clearedSumsKeepFloatsAgainAndStartFromZero() {
        float[] a = floats(1);
        float[] b = floats(2);
        GradientSum sum = new GradientSum(N);
        sum.addFloats(a);
        sum.addFloats(b); // now doubles
        sum.clear();
        assertTrue(!sum.hasSums() || sum.floatSums() == null);
        sum.addFloats(b);
        assertArrayEquals(b, sum.floatSums());
        assertSameBits(addedInDouble(b), sum.sums());
        sum.clear();
        sum.addFloats(a);
        sum.addFloats(b);
        assertSameBits(addedInDouble(a, b), sum.sums());
    }

    @Test
    void mergesAndJavaSerializationSeeTheFloatsAsDoubles() throws Exception {
        float[] a = floats(1);
        float[] b = floats(2);
        GradientSum held = GradientSum.of(N, null, 1.0, 3, 3.0, 2.0);
        held.addFloats(a);
        GradientSum total = GradientSum.of(N, null, 0.0, 0, 0.0, 0.0).merge(held);
        assertSameBits(addedInDouble(a), total.sums());

        GradientSum first = GradientSum.of(N, null, 1.0, 3, 3.0, 2.0);
        first.addFloats(a);
        GradientSum second = GradientSum.of(N, null, 1.0, 4, 4.0, 2.0);
        second.addFloats(b);
        assertSameBits(addedInDouble(a, b), first.merge(second).sums());
        assertEquals(7, first.count());

        GradientSum sent = GradientSum.of(N, null, 1.0, 3, 3.0, 2.0);
        sent.addFloats(b);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sent);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertSameBits(addedInDouble(b), ((GradientSum) in.readObject()).sums());
        }
    }

    @Test
    void floatsOfAnotherLengthAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GradientSum(N).addFloats(new float[N - 1]));
    }
}
