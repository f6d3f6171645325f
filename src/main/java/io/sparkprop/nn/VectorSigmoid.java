package io.sparkprop.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SigmoidKernel}'s SIMD path. Only loaded when the JVM has the jdk.incubator.vector module.
 * For very negative z, exp(-z) overflows to infinity and 1 / (1 + inf) is the correct limit 0;
 * NaN stays NaN.
 */
final class VectorSigmoid {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

    private VectorSigmoid() {
    }

    static void applyInPlace(double[] z, int from, int to) {
        DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
        int i = from;
        for (int end = from + SPECIES.loopBound(to - from); i < end; i += SPECIES.length()) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, z, i);
            one.div(v.neg().lanewise(VectorOperators.EXP).add(1.0)).intoArray(z, i);
        }
        SigmoidKernel.scalarInPlace(z, i, to);
    }

    static void applyInPlace(float[] z, int from, int to) {
        FloatVector one = FloatVector.broadcast(FLOATS, 1f);
        int i = from;
        for (int end = from + FLOATS.loopBound(to - from); i < end; i += FLOATS.length()) {
            FloatVector v = FloatVector.fromArray(FLOATS, z, i);
            one.div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(z, i);
        }
        SigmoidKernel.scalarInPlace(z, i, to);
    }
}
