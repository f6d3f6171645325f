package io.sparkprop.nn;

import java.util.Locale;

/**
 * The number type of the hot path: cached features, activations, deltas and the matrix products.
 * Gradient sums, weights and optimizer state are doubles either way (see {@link FloatBackprop}).
 */
public enum Precision {
    /** Doubles throughout: exact against the seeds' math, and Spark ML's own convention. */
    FLOAT64,
    /** Floats where the arithmetic and the bytes are: half the cache, sgemm instead of dgemm. */
    FLOAT32;

    /** The lower-case name used in params and configuration files. */
    public String paramName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Precision fromParam(String name) {
        for (Precision p : values()) {
            if (p.paramName().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + name + "'; expected float64 or float32");
    }
}
