package io.sparkprop.nn;

import static io.sparkprop.nn.SigmoidKernel.C10;
import static io.sparkprop.nn.SigmoidKernel.C11;
import static io.sparkprop.nn.SigmoidKernel.C12;
import static io.sparkprop.nn.SigmoidKernel.C13;
import static io.sparkprop.nn.SigmoidKernel.C2;
import static io.sparkprop.nn.SigmoidKernel.C2_F;
import static io.sparkprop.nn.SigmoidKernel.C3;
import static io.sparkprop.nn.SigmoidKernel.C3_F;
import static io.sparkprop.nn.SigmoidKernel.C4;
import static io.sparkprop.nn.SigmoidKernel.C4_F;
import static io.sparkprop.nn.SigmoidKernel.C5;
import static io.sparkprop.nn.SigmoidKernel.C5_F;
import static io.sparkprop.nn.SigmoidKernel.C6;
import static io.sparkprop.nn.SigmoidKernel.C6_F;
import static io.sparkprop.nn.SigmoidKernel.C7;
import static io.sparkprop.nn.SigmoidKernel.C7_F;
import static io.sparkprop.nn.SigmoidKernel.C8;
import static io.sparkprop.nn.SigmoidKernel.C9;
import static io.sparkprop.nn.SigmoidKernel.LN2_HI;
import static io.sparkprop.nn.SigmoidKernel.LN2_HI_F;
import static io.sparkprop.nn.SigmoidKernel.LN2_LO;
import static io.sparkprop.nn.SigmoidKernel.LN2_LO_F;
import static io.sparkprop.nn.SigmoidKernel.LOG2_E;
import static io.sparkprop.nn.SigmoidKernel.LOG2_E_F;
import static io.sparkprop.nn.SigmoidKernel.LOWEST;
import static io.sparkprop.nn.SigmoidKernel.LOWEST_F;
import static io.sparkprop.nn.SigmoidKernel.ROUNDER;
import static io.sparkprop.nn.SigmoidKernel.ROUNDER_BITS;
import static io.sparkprop.nn.SigmoidKernel.ROUNDER_F;
import static io.sparkprop.nn.SigmoidKernel.ROUNDER_F_BITS;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SigmoidKernel}'s SIMD path, lane by lane the same operations in the same order as its
 * scalar sigmoid, so the two give the same bits (not the Vector API's EXP, whose bits change when
 * C2 compiles the loop). Only loaded when the JVM has the jdk.incubator.vector module.
 */
final class VectorSigmoid {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

    private VectorSigmoid() {
    }

    // Each loop keeps the whole computation in its body, with no helper method: the Vector API's
    // own methods are always inlined, but a helper of ours met C2's node-count cutoff, was called
    // instead, and every vector crossing the call was boxed (10 ns a value instead of 2.6 here).

    static void applyInPlace(double[] z, int from, int to) {
        int i = from;
        for (int end = from + SPECIES.loopBound(to - from); i < end; i += SPECIES.length()) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, z, i);
            DoubleVector x = v.abs().neg().max(LOWEST); // NaN stays NaN through max
            // exp(x), x <= 0, as SigmoidKernel.expOfNonPositive takes the steps
            DoubleVector t = x.mul(LOG2_E).add(ROUNDER);
            DoubleVector k = t.sub(ROUNDER);
            DoubleVector r = x.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
            DoubleVector p = r.mul(C13).add(C12).mul(r).add(C11).mul(r).add(C10).mul(r).add(C9).mul(r).add(C8)
                    .mul(r).add(C7).mul(r).add(C6).mul(r).add(C5).mul(r).add(C4).mul(r).add(C3).mul(r).add(C2)
                    .mul(r).add(1.0).mul(r).add(1.0);
            LongVector kBits = ((LongVector) t.viewAsIntegralLanes()).sub(ROUNDER_BITS);
            LongVector half = kBits.lanewise(VectorOperators.ASHR, 1);
            LongVector rest = kBits.sub(half);
            DoubleVector e = p // times 2^half times 2^rest, exponents put straight into the bits
                    .mul((DoubleVector) half.add(1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes())
                    .mul((DoubleVector) rest.add(1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes());
            // sigmoid: 1 / (1 + e) for z >= 0, e / (1 + e) below
            DoubleVector numerator = DoubleVector.broadcast(SPECIES, 1.0).blend(e, v.compare(VectorOperators.LT, 0.0));
            numerator.div(e.add(1.0)).intoArray(z, i);
        }
        SigmoidKernel.scalarInPlace(z, i, to);
    }

    static void applyInPlace(float[] z, int from, int to) {
        int i = from;
        for (int end = from + FLOATS.loopBound(to - from); i < end; i += FLOATS.length()) {
            FloatVector v = FloatVector.fromArray(FLOATS, z, i);
            FloatVector x = v.abs().neg().max(LOWEST_F);
            FloatVector t = x.mul(LOG2_E_F).add(ROUNDER_F);
            FloatVector k = t.sub(ROUNDER_F);
            FloatVector r = x.sub(k.mul(LN2_HI_F)).sub(k.mul(LN2_LO_F));
            FloatVector p = r.mul(C7_F).add(C6_F).mul(r).add(C5_F).mul(r).add(C4_F).mul(r).add(C3_F).mul(r).add(C2_F)
                    .mul(r).add(1f).mul(r).add(1f);
            IntVector kBits = ((IntVector) t.viewAsIntegralLanes()).sub(ROUNDER_F_BITS);
            IntVector half = kBits.lanewise(VectorOperators.ASHR, 1);
            IntVector rest = kBits.sub(half);
            FloatVector e = p
                    .mul((FloatVector) half.add(127).lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes())
                    .mul((FloatVector) rest.add(127).lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes());
            FloatVector numerator = FloatVector.broadcast(FLOATS, 1f).blend(e, v.compare(VectorOperators.LT, 0f));
            numerator.div(e.add(1f)).intoArray(z, i);
        }
        SigmoidKernel.scalarInPlace(z, i, to);
    }
}
