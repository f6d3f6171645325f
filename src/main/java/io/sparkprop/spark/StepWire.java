package io.sparkprop.spark;

import io.sparkprop.nn.GradientSum;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The bytes the driver and its step tasks exchange ({@link ResidentTasks}), each a {@link Frames}
 * message. The weights and the sums, the bulk of every step, travel as raw little-endian arrays
 * copied in bulk into buffers kept from step to step: Java serialization would copy them several
 * times through growing buffers, on the critical path of every step, on both sides.
 *
 * <pre>
 *   order (driver to task):  int taskBytes, the ShardTask (serialized), byte asFloats, int n,
 *                            n weights as float32 (float32 training) or float64
 *   sum (task to driver):    double lossSum, long count, double weight, double correct,
 *                            byte hasSums, then parameterCount float64 sums if it has them
 * </pre>
 *
 * Floats are the weights rounded as {@link WeightsMessage} rounds them, widened back exactly, so
 * the sums are bitwise those of a job a step.
 */
final class StepWire {
    private static final int SUM_HEADER = 3 * Double.BYTES + Long.BYTES + 1;
    /** Values converted per chunk when writing sums to a stream: a 64 KB scratch buffer. */
    private static final int CHUNK = 8192;

    private StepWire() {
    }

    /** A step's order: the serialized task and the weights, into {@code reuse} when large enough. */
    static ByteBuffer order(ByteBuffer task, double[] weights, boolean asFloats, ByteBuffer reuse) {
        int taskBytes = task.remaining();
        int size = Integer.BYTES + taskBytes + 1 + Integer.BYTES
                + weights.length * (asFloats ? Float.BYTES : Double.BYTES);
        ByteBuffer out = reuse != null && reuse.capacity() >= size ? reuse.clear()
                : ByteBuffer.allocate(size);
        out.order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(taskBytes).put(task.duplicate()).put((byte) (asFloats ? 1 : 0)).putInt(weights.length);
        if (asFloats) {
            var floats = out.asFloatBuffer();
            for (double w : weights) {
                floats.put((float) w);
            }
            out.position(out.position() + weights.length * Float.BYTES);
        } else {
            out.asDoubleBuffer().put(weights);
            out.position(out.position() + weights.length * Double.BYTES);
        }
        return out.flip();
    }

    /** The serialized task of an order, as a view into it. */
    static ByteBuffer orderTask(ByteBuffer order) {
        ByteBuffer in = order.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int taskBytes = in.getInt();
        return in.slice().limit(taskBytes);
    }

    /** The weights of an order, widened to double into {@code reuse} when it has their length. */
    static double[] orderWeights(ByteBuffer order, double[] reuse) throws IOException {
        ByteBuffer in = order.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        in.position(in.position() + Integer.BYTES + in.getInt(in.position()));
        boolean asFloats = in.get() == 1;
        int n = in.getInt();
        if (n < 0 || in.remaining() != (long) n * (asFloats ? Float.BYTES : Double.BYTES)) {
            throw new IOException("a step order of " + n + " weights in " + in.remaining() + " bytes");
        }
        double[] w = reuse != null && reuse.length == n ? reuse : new double[n];
        if (asFloats) {
            var floats = in.asFloatBuffer();
            for (int i = 0; i < n; i++) {
                w[i] = floats.get(i);
            }
        } else {
            in.asDoubleBuffer().get(w);
        }
        return w;
    }

    /**
     * Writes one partition's sum as a message, the sums through {@code scratch} (at least
     * {@code CHUNK} doubles' bytes) straight into {@code out}, without flushing it.
     */
    static void writeSum(OutputStream out, GradientSum sum, byte[] scratch) throws IOException {
        boolean hasSums = sum.hasSums();
        int n = hasSums ? sum.parameterCount() : 0;
        ByteBuffer header = ByteBuffer.allocate(SUM_HEADER).order(ByteOrder.LITTLE_ENDIAN)
                .putDouble(sum.lossSum()).putLong(sum.count()).putDouble(sum.weight()).putDouble(sum.correct())
                .put((byte) (hasSums ? 1 : 0));
        Frames.writeLength(out, SUM_HEADER + n * Double.BYTES);
        out.write(header.array());
        if (hasSums) {
            double[] sums = sum.sums();
            ByteBuffer chunk = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
            for (int from = 0; from < n; from += CHUNK) {
                int len = Math.min(CHUNK, n - from);
                chunk.clear();
                chunk.asDoubleBuffer().put(sums, from, len);
                out.write(scratch, 0, len * Double.BYTES);
            }
        }
    }

    /** A scratch buffer for {@link #writeSum}. */
    static byte[] sumScratch() {
        return new byte[CHUNK * Double.BYTES];
    }

    /** The sum a task sent, in a new array: the driver adds the step's sums into the first. */
    static GradientSum readSum(ByteBuffer message, int parameterCount) throws IOException {
        ByteBuffer in = message.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < SUM_HEADER) {
            throw new IOException("a partial sum of " + in.remaining() + " bytes");
        }
        double lossSum = in.getDouble();
        long count = in.getLong();
        double weight = in.getDouble();
        double correct = in.getDouble();
        boolean hasSums = in.get() == 1;
        if (in.remaining() != (hasSums ? (long) parameterCount * Double.BYTES : 0)) {
            throw new IOException("a partial sum with " + in.remaining() + " bytes of sums for " + parameterCount
                    + " parameters");
        }
        double[] sums = null;
        if (hasSums) {
            sums = new double[parameterCount];
            in.asDoubleBuffer().get(sums);
        }
        return GradientSum.of(parameterCount, sums, lossSum, count, weight, correct);
    }
}
