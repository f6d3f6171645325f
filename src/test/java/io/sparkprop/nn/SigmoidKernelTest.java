package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sigmoid's one definition: the SIMD lanes give the scalar loop's bits, before and after C2
 * compiles them, and both stay within a few ulps of a sigmoid built on StrictMath.exp.
 */
class SigmoidKernelTest {
    private static final double[] SPECIAL = {0.0, -0.0, 800, -800, 709.5, -709.5, 1e-300, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.NaN, -745.5, -744, 708.5, -708.5, 36.7, -36.7, Double.MIN_VALUE};

    @Test
    void testsRunTheVectorPath() {
        assertTrue(SigmoidKernel.VECTORIZED, "surefire's argLine adds jdk.incubator.vector; without it this suite"
                + " would only ever check the scalar loop");
    }

    @Test
    void vectorLanesGiveTheScalarLoopsBitsIncludingTheExtremes() {
        double[] z = inputs(1000 + 3, 7); // not a multiple of any vector length: the scalar tail runs too
        double[] scalar = z.clone();
        double[] vector = z.clone();

        SigmoidKernel.scalarInPlace(scalar, 0, z.length);
        VectorSigmoid.applyInPlace(vector, 0, z.length);

        for (int i = 0; i < z.length; i++) {
            assertEquals(Double.doubleToRawLongBits(scalar[i]), Double.doubleToRawLongBits(vector[i]),
                    "z = " + z[i] + ": " + vector[i] + " vs " + scalar[i]);
        }
        assertSpecialsExact(vector);
    }

    @Test
    void floatVectorLanesGiveTheScalarLoopsBitsIncludingTheExtremes() {
        float[] z = narrow(inputs(1000 + 5, 8));
        float[] scalar = z.clone();
        float[] vector = z.clone();

        SigmoidKernel.scalarInPlace(scalar, 0, z.length);
        VectorSigmoid.applyInPlace(vector, 0, z.length);

        for (int i = 0; i < z.length; i++) {
            assertEquals(Float.floatToRawIntBits(scalar[i]), Float.floatToRawIntBits(vector[i]),
                    "z = " + z[i] + ": " + vector[i] + " vs " + scalar[i]);
        }
        assertSpecialsExact(widen(vector));
    }

    /**
     * The Vector API's EXP failed this: about 2% of lanes changed in their last bit once C2 had
     * compiled the loop (SVML), so a model's predictions depended on how warm the JVM was. The
     * cold side is a copy of this package's classes in a class loader of its own, whose methods
     * have never run, so its first call is interpreted whatever ran before in this JVM; the warm
     * side is this loader's kernel after 20,000 calls.
     */
    @Test
    void theSameBitsBeforeAndAfterTheJitCompilesTheLoops() throws Exception {
        double[] z = inputs(1024, 9);
        float[] zf = narrow(z);
        double[] cold = z.clone();
        float[] coldFloat = zf.clone();
        URL classes = VectorSigmoid.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader fresh = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> copy = fresh.loadClass(VectorSigmoid.class.getName());
            assertNotSame(VectorSigmoid.class, copy);
            for (Object[] call : new Object[][] {{double[].class, cold}, {float[].class, coldFloat}}) {
                Method apply = copy.getDeclaredMethod("applyInPlace", (Class<?>) call[0], int.class, int.class);
                apply.setAccessible(true);
                apply.invoke(null, call[1], 0, z.length);
            }
        }

        double[] work = new double[z.length];
        float[] workFloat = new float[zf.length];
        for (int round = 0; round < 20_000; round++) { // well past C2's thresholds for both loops
            System.arraycopy(z, 0, work, 0, z.length);
            VectorSigmoid.applyInPlace(work, 0, work.length);
            System.arraycopy(zf, 0, workFloat, 0, zf.length);
            VectorSigmoid.applyInPlace(workFloat, 0, workFloat.length);
        }
        for (int i = 0; i < z.length; i++) {
            assertEquals(Double.doubleToRawLongBits(cold[i]), Double.doubleToRawLongBits(work[i]), "z = " + z[i]);
            assertEquals(Float.floatToRawIntBits(coldFloat[i]), Float.floatToRawIntBits(workFloat[i]), "z = " + zf[i]);
        }
    }

    /** 2 ulps in double and 3 in float (computed in float) against StrictMath's exp, over [-50, 50]. */
    @Test
    void withinAFewUlpsOfASigmoidOnStrictMathExp() {
        SplittableRandom random = new SplittableRandom(10);
        double worst = 0;
        double worstFloat = 0;
        for (int i = 0; i < 200_000; i++) {
            double z = random.nextDouble(-50, 50);
            double reference = strictSigmoid(z);
            worst = Math.max(worst, Math.abs(SigmoidKernel.sigmoid(z) - reference) / Math.ulp(reference));
            float zf = (float) z;
            double referenceFloat = strictSigmoid(zf);
            worstFloat = Math.max(worstFloat,
                    Math.abs(SigmoidKernel.sigmoid(zf) - referenceFloat) / Math.ulp((float) referenceFloat));
        }
        assertTrue(worst <= 2, "double: " + worst + " ulps");
        assertTrue(worstFloat <= 3, "float: " + worstFloat + " ulps");
        // and in the tails, where the two halves of 2^k matter
        for (double z : new double[] {-700, -708.5, -720, -740}) {
            double reference = strictSigmoid(z);
            assertTrue(Math.abs(Activation.sigmoid(z) - reference) <= 2 * Math.ulp(reference), "z = " + z);
        }
    }

    private static double strictSigmoid(double z) {
        return z >= 0 ? 1 / (1 + StrictMath.exp(-z)) : StrictMath.exp(z) / (1 + StrictMath.exp(z));
    }

    /** Random values in [-40, 40] with {@link #SPECIAL} from index 17 on. */
    private static double[] inputs(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = random.nextDouble(-40, 40);
        }
        System.arraycopy(SPECIAL, 0, z, 17, SPECIAL.length);
        return z;
    }

    /** sigmoid(0) = 0.5, 1 or 0 far out and at the infinities, NaN kept. */
    private static void assertSpecialsExact(double[] s) {
        assertEquals(0.5, s[17]);
        assertEquals(0.5, s[18]);
        assertEquals(1.0, s[19]);
        assertEquals(0.0, s[20]);
        assertEquals(1.0, s[24]);
        assertEquals(0.0, s[25]);
        assertTrue(Double.isNaN(s[26]), "NaN stays NaN");
    }

    private static float[] narrow(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @Test
    void leavesValuesOutsideTheRangeAlone() {
        double[] z = {3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3};
        VectorSigmoid.applyInPlace(z, 2, 11);
        assertEquals(3.0, z[0]);
        assertEquals(3.0, z[1]);
        assertEquals(3.0, z[11]);
        assertEquals(Activation.sigmoid(3), z[2]);
    }

    @Test
    void notANumberStaysVisible() {
        double[] z = new double[16];
        z[5] = Double.NaN;
        VectorSigmoid.applyInPlace(z, 0, 16);
        assertTrue(Double.isNaN(z[5]));
        assertEquals(0.5, z[4]);
    }
}
