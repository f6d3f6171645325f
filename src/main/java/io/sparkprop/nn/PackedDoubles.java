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

    /** Writes the length, then the values. */
    public static void write(ObjectOutput out, double[] values) throws IOException {
        byte[] bytes = new byte[Math.multiplyExact(values.length, Double.BYTES)];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(values);
        out.writeInt(values.length);
        out.write(bytes);
    }

    /** Reads what {@link #write} wrote. */
    public static double[] read(ObjectInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("corrupt double array: length " + length);
        }
        byte[] bytes = new byte[Math.multiplyExact(length, Double.BYTES)];
        in.readFully(bytes);
        double[] values = new double[length];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
        return values;
    }
}
