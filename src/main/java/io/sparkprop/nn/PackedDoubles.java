package io.sparkprop.nn;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Double arrays written to Java serialization as one run of little-endian bytes. Java writes a
 * double[] one element at a time; the gradient and weight arrays that cross the network every
 * training step are millions of bytes, and a bulk copy serializes them several times faster.
 */
public final class PackedDoubles {
    private PackedDoubles() {
    }

    /** Values per chunk: the bytes go through a 64 KB buffer, not a copy of the whole array. */
    private static final int CHUNK = 8192;
    /** How many values {@link #roundsExactly} checks one by one before its single pass. */
    private static final int PROBE = 64;

    /** Writes the length, then the values. */
    public static void write(ObjectOutput out, double[] values) throws IOException {
        out.writeInt(values.length);
        writeValues(out::write, values, false, new byte[Math.min(values.length, CHUNK) * Double.BYTES]);
    }

    /**
     * Writes the length, then the values rounded to float: half the bytes, for weights that the
     * receiver uses in float anyway (float32 training).
     */
    public static void writeAsFloats(ObjectOutput out, double[] values) throws IOException {
        out.writeInt(values.length);
        writeValues(out::write, values, true, new byte[Math.min(values.length, CHUNK) * Float.BYTES]);
    }

    /** Where {@link #writeValues} puts its bytes: an OutputStream's or an ObjectOutput's write. */
    @FunctionalInterface
    public interface Bytes {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    /**
     * The values alone, little-endian, as doubles or rounded to floats, a chunk at a time through
     * {@code scratch} (as large as a chunk of the values in their width, or larger).
     */
    public static void writeValues(Bytes out, double[] values, boolean asFloats, byte[] scratch) throws IOException {
        int width = asFloats ? Float.BYTES : Double.BYTES;
        ByteBuffer chunk = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += CHUNK) {
            int n = Math.min(CHUNK, values.length - from);
            chunk.clear();
            if (asFloats) {
                var floats = chunk.asFloatBuffer();
                for (int i = from, end = from + n; i < end; i++) {
                    floats.put((float) values[i]);
                }
            } else {
                chunk.asDoubleBuffer().put(values, from, n);
            }
            out.write(scratch, 0, n * width);
        }
    }

    /**
     * Rounds each value to float into {@code into} (at least as long) and tells whether every one
     * comes back bit for bit when widened (NaN too, when a float keeps its payload): then the
     * floats carry the values exactly, in half the bytes, and {@code into} holds them (not when
     * it returns false). The first values are probed one by one, so that doubles (float64
     * training) are told apart at once; the rest go in one pass with no early exit: a check that
     * stopped at the first mismatch, then the rounding, took about twice as long
     * (src/bench/ConversionTiming.java), on the path of every step.
     */
    public static boolean roundsExactly(double[] values, float[] into) {
        int probed = Math.min(values.length, PROBE);
        for (int i = 0; i < probed; i++) {
            float f = (float) values[i];
            if (Double.doubleToRawLongBits(f) != Double.doubleToRawLongBits(values[i])) {
                return false;
            }
            into[i] = f;
        }
        long differ = 0;
        for (int i = probed; i < values.length; i++) {
            float f = (float) values[i];
            into[i] = f;
            differ |= Double.doubleToRawLongBits(f) ^ Double.doubleToRawLongBits(values[i]);
        }
        return differ == 0;
    }

    /** Reads what {@link #writeAsFloats} wrote, widened back to double (exactly: every float is a double). */
    public static double[] readFloats(ObjectInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("corrupt float array: length " + length);
        }
        double[] values = new double[length];
        byte[] bytes = new byte[Math.min(length, CHUNK) * Float.BYTES];
        for (int from = 0; from < length; from += CHUNK) {
            int n = Math.min(CHUNK, length - from);
            in.readFully(bytes, 0, n * Float.BYTES);
            var floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            for (int i = 0; i < n; i++) {
                values[from + i] = floats.get();
            }
        }
        return values;
    }

    /** Reads what {@link #write} wrote. */
    public static double[] read(ObjectInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("corrupt double array: length " + length);
        }
        double[] values = new double[length];
        byte[] bytes = new byte[Math.min(length, CHUNK) * Double.BYTES];
        for (int from = 0; from < length; from += CHUNK) {
            int n = Math.min(CHUNK, length - from);
            in.readFully(bytes, 0, n * Double.BYTES);
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values, from, n);
        }
        return values;
    }
}
