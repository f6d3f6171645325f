package io.sparkprop.data;

import java.nio.charset.StandardCharsets;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;

/**
 * A row's identity, a 64-bit hash of its content (or of its id), and what follows from it:
 * whether the row is held out (test, validation) and which step of an epoch it belongs to.
 * These are pure functions of (seed, epoch, identity), never of the row's partition or its
 * position, so the same data gives the same splits and batches on any partitioning. Rows with
 * the same content have the same identity, so exact duplicates always go together.
 *
 * <p>Features are hashed by their non-zero entries (index and bits), so a dense and a sparse
 * vector with the same values are the same row; -0.0 counts as 0.0. Labels are hashed as
 * doubles, so an integer label 3 and a double 3.0 are the same.
 */
public final class RowIdentity {
    /** Salt of the test split (data.testFraction). */
    public static final long TEST = 0x7465737400000001L;
    /** Salt of the validation split (validationFraction). */
    public static final long VALIDATION = 0x76616c6900000002L;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long FEATURES_START = 0x243F6A8885A308D3L;
    private static final long LABEL_MARK = 0x13198A2E03707344L;
    private static final long ID_START = 0xA4093822299F31D0L;

    private RowIdentity() {
    }

    /** SplitMix64's finalizer: every input bit moves about half the output bits. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long addValue(long h, long index, double v) {
        long bits = Double.doubleToLongBits(v + 0.0); // -0.0 + 0.0 is 0.0
        return mix(h ^ mix(bits + (index + 1) * GOLDEN));
    }

    /** The identity of a row with {@code width} dense features {@code x[offset..]} and a numeric label. */
    public static long ofContent(double[] x, int offset, int width, double label) {
        return withLabel(featuresHash(x, offset, width), label);
    }

    /** The identity of a row with these features and a numeric label. */
    public static long ofContent(Vector features, double label) {
        return withLabel(featuresHash(features), label);
    }

    /** The identity of a row with these features and a vector label (several regression outputs). */
    public static long ofContent(Vector features, Vector label) {
        return withLabel(featuresHash(features), label);
    }

    /** The identity of a row with {@code width} dense features {@code x[offset..]} and a vector label. */
    public static long ofContent(double[] x, int offset, int width, Vector label) {
        return withLabel(featuresHash(x, offset, width), label);
    }

    /**
     * The identity of a stored column: {@code n0} features at {@code x[xOffset..]} and {@code nL}
     * encoded targets at {@code y[yOffset..]}. For blocks built without row keys (hand-made ones).
     */
    public static long ofColumns(double[] x, int xOffset, int n0, double[] y, int yOffset, int nL) {
        long h = featuresHash(x, xOffset, n0) ^ LABEL_MARK;
        for (int j = 0; j < nL; j++) {
            h = addValue(h, -1 - j, y[yOffset + j]);
        }
        return mix(h + nL);
    }

    /**
     * The identity of a row by its id: a number by its value (an int 7 and a long 7 agree), anything
     * else by its text. A null id is an error: rows without an identity cannot be placed.
     */
    public static long ofId(Object id) {
        if (id == null) {
            throw new IllegalArgumentException("id is null");
        }
        if (id instanceof Long || id instanceof Integer || id instanceof Short || id instanceof Byte) {
            return mix(ID_START ^ mix(((Number) id).longValue()));
        }
        if (id instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p62) {
                return mix(ID_START ^ mix((long) d)); // 7.0 read as a double is the id 7
            }
            return addValue(ID_START, -2, d);
        }
        byte[] bytes = (id instanceof byte[] b ? b : id.toString().getBytes(StandardCharsets.UTF_8));
        long h = mix(ID_START + bytes.length);
        for (int i = 0; i < bytes.length; i += 8) {
            long word = 0;
            for (int k = 0; k < 8 && i + k < bytes.length; k++) {
                word |= (bytes[i + k] & 0xFFL) << (8 * k);
            }
            h = mix(h ^ mix(word + (i + 1) * GOLDEN));
        }
        return h;
    }

    /** A number in [0, 1) that depends only on (seed, salt, identity): the row is held out when below the fraction. */
    public static double unit(long seed, long salt, long identity) {
        long h = mix(mix(seed ^ salt) ^ identity);
        return (h >>> 11) * 0x1.0p-53;
    }

    /** Whether a row falls in the share {@code fraction} held out by (seed, salt). */
    public static boolean heldOut(long seed, long salt, long identity, double fraction) {
        return unit(seed, salt, identity) < fraction;
    }

    /** The key of an epoch: computed once an epoch, then {@link #stepOf} once a row. */
    public static long epochKey(long seed, int epoch) {
        return mix(mix(seed) + epoch * GOLDEN);
    }

    /** The step (0 .. steps-1) of the epoch with this key that the row belongs to. */
    public static int stepOf(long epochKey, long identity, int steps) {
        return (int) Long.remainderUnsigned(mix(epochKey ^ identity), steps);
    }

    private static long featuresHash(double[] x, int offset, int width) {
        long h = FEATURES_START;
        for (int j = 0; j < width; j++) {
            double v = x[offset + j];
            if (v != 0) {
                h = addValue(h, j, v);
            }
        }
        return h;
    }

    private static long featuresHash(Vector features) {
        long h = FEATURES_START;
        if (features instanceof SparseVector s) {
            int[] idx = s.indices();
            double[] vals = s.values();
            for (int i = 0; i < idx.length; i++) {
                if (vals[i] != 0) {
                    h = addValue(h, idx[i], vals[i]);
                }
            }
            return h;
        }
        double[] vals = ((DenseVector) features).values();
        return featuresHash(vals, 0, vals.length);
    }

    private static long withLabel(long h, double label) {
        return addValue(h ^ LABEL_MARK, -1, label);
    }

    private static long withLabel(long h, Vector label) {
        h ^= LABEL_MARK;
        for (int j = 0; j < label.size(); j++) {
            h = addValue(h, -1 - j, label.apply(j));
        }
        return mix(h + label.size());
    }
}
