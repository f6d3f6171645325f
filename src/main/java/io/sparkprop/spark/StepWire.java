package io.sparkprop.spark;

import io.sparkprop.nn.Dropout;
import io.sparkprop.nn.FloatBackprop;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.PackedDoubles;
import io.sparkprop.nn.Slices;
import io.sparkprop.train.ShardWorkspace;
import io.sparkprop.train.Step;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.spark.serializer.SerializerInstance;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The bytes the driver and its step tasks exchange ({@link ResidentTasks}), each a {@link Frames}
 * message. The weights and the sums, the bulk of every step, travel as raw little-endian arrays
 * copied in bulk into buffers kept from step to step: Java serialization would copy them several
 * times through growing buffers, on the critical path of every step, on both sides.
 *
 * <pre>
 *   order (driver to task):  int taskBytes, the task's code, byte set (0 training partitions,
 *                            1 validation), byte asFloats, int n,
 *                            n weights as float32 (float32 training) or float64
 *   task code:               byte 1, long seed, int epoch, int index, int stepsPerEpoch,
 *                            int r, r dropout rates as float64 (a training step's gradient);
 *                            byte 2 (an evaluation); or byte 0, the ShardTask serialized (any other)
 *   sum (task to driver):    double lossSum, long count, double weight, double correct,
 *                            byte kind, then none, parameterCount float64, or parameterCount float32
 * </pre>
 *
 * Weights as floats are rounded as {@link WeightsMessage} rounds them and widened back exactly;
 * sums go as floats only when that loses nothing. So the sums are bitwise those of a job a step.
 * The two tasks that training sends every step go by their fields: Java serialization of a task
 * on every step, both ways, kept the JIT compiling its large methods through the first epochs,
 * on the cores the tasks compute on (docs/SPEED.md).
 */
final class StepWire {
    private static final ClassTag<ShardTask> TASK = ClassTag$.MODULE$.apply(ShardTask.class);
    private static final int SUM_HEADER = 3 * Double.BYTES + Long.BYTES + 1;
    /** What follows a sum's header: nothing (statistics only), its sums as doubles, or as floats. */
    private static final byte NO_SUMS = 0;
    private static final byte DOUBLE_SUMS = 1;
    private static final byte FLOAT_SUMS = 2;

    /** What a task code holds: a serialized task, a training step's fields, an evaluation. */
    private static final byte SERIALIZED_TASK = 0;
    private static final byte GRADIENT_TASK = 1;
    private static final byte EVALUATION_TASK = 2;

    private StepWire() {
    }

    /**
     * {@code task} as an order carries it: {@link ShardTask#gradient} and {@link ShardTask#evaluate}
     * by their fields, any other task (a decorated one) serialized by {@code serializer}.
     */
    static ByteBuffer taskCode(ShardTask task, SerializerInstance serializer) {
        if (task instanceof ShardTask.Gradient g) {
            Step step = g.step();
            double[] rates = step.dropout().rates();
            ByteBuffer code = ByteBuffer.allocate(1 + Long.BYTES + 4 * Integer.BYTES + rates.length * Double.BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN);
            code.put(GRADIENT_TASK).putLong(step.seed()).putInt(step.epoch()).putInt(step.index())
                    .putInt(step.stepsPerEpoch()).putInt(rates.length);
            for (double r : rates) {
                code.putDouble(r);
            }
            return code.flip();
        }
        if (task instanceof ShardTask.Evaluation) {
            return ByteBuffer.wrap(new byte[] {EVALUATION_TASK});
        }
        ByteBuffer bytes = serializer.serialize(task, TASK);
        return ByteBuffer.allocate(1 + bytes.remaining()).put(SERIALIZED_TASK).put(bytes).flip();
    }

    /** The task an order carries, rebuilt from its code ({@link #taskCode}). */
    static ShardTask orderTask(ByteBuffer order, SerializerInstance serializer, ClassLoader loader)
            throws IOException {
        ByteBuffer code = orderTaskCode(order);
        if (!code.hasRemaining()) {
            throw new IOException("a step order without its task");
        }
        byte kind = code.get();
        try {
            switch (kind) {
                case GRADIENT_TASK -> {
                    long seed = code.getLong();
                    int epoch = code.getInt();
                    int index = code.getInt();
                    int steps = code.getInt();
                    int r = code.getInt();
                    if (r < 1 || code.remaining() != (long) r * Double.BYTES) {
                        throw new IOException("a step's task with " + r + " dropout rates in " + code.remaining()
                                + " bytes");
                    }
                    double[] rates = new double[r];
                    code.asDoubleBuffer().get(rates);
                    Dropout dropout = r == 1 && rates[0] == 0 ? Dropout.NONE : new Dropout(rates);
                    return ShardTask.gradient(new Step(seed, epoch, index, steps, dropout));
                }
                case EVALUATION_TASK -> {
                    return ShardTask.evaluate();
                }
                case SERIALIZED_TASK -> {
                    return serializer.deserialize(code.slice(), loader, TASK);
                }
                default -> throw new IOException("a step order with a task of kind " + kind);
            }
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException("a step order with a task of kind " + kind + " that does not parse", e);
        }
    }

    /**
     * A step's order: the task's code ({@link #taskCode}), the set it runs on and the weights, into
     * {@code reuse} if it fits. The weights go as float32 when {@code rounded} is not null: rounded
     * into it ({@link FloatBackprop#toFloat}, the one rounding of weights to float32), then copied
     * into the message, a slice at a time.
     */
    static ByteBuffer order(ByteBuffer task, int set, double[] weights, float[] rounded, ByteBuffer reuse) {
        boolean asFloats = rounded != null;
        if (asFloats && rounded.length != weights.length) {
            throw new IllegalArgumentException("rounding " + weights.length + " weights into " + rounded.length);
        }
        int taskBytes = task.remaining();
        int size = Integer.BYTES + taskBytes + 2 + Integer.BYTES
                + weights.length * (asFloats ? Float.BYTES : Double.BYTES);
        ByteBuffer out = reuse != null && reuse.capacity() >= size ? reuse.clear()
                : ByteBuffer.allocateDirect(size); // the channel sends a direct buffer as it is
        out.order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(taskBytes).put(task.duplicate()).put((byte) set).put((byte) (asFloats ? 1 : 0))
                .putInt(weights.length);
        if (asFloats) {
            var floats = out.asFloatBuffer(); // absolute puts: the slices share the view
            Slices.run(weights.length, (from, to) -> {
                FloatBackprop.toFloat(weights, from, rounded, from, to - from);
                floats.put(from, rounded, from, to - from);
            });
            out.position(out.position() + weights.length * Float.BYTES);
        } else {
            out.asDoubleBuffer().put(weights);
            out.position(out.position() + weights.length * Double.BYTES);
        }
        return out.flip();
    }

    /** The task code of an order, as a view into it. */
    private static ByteBuffer orderTaskCode(ByteBuffer order) {
        ByteBuffer in = order.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int taskBytes = in.getInt();
        return in.slice().limit(taskBytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The set of partitions an order runs on, one of {@code sets}. */
    static int orderSet(ByteBuffer order, int sets) throws IOException {
        ByteBuffer in = order.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int set = in.get(in.position() + Integer.BYTES + in.getInt(in.position()));
        if (set < 0 || set >= sets) {
            throw new IOException("a step order for set " + set + " of " + sets);
        }
        return set;
    }

    /**
     * The weights of an order, widened to double into {@code reuse} when it has their length; when
     * they came as floats, {@code ws} (unless null) keeps them as sent
     * ({@link ShardWorkspace#takeFloatWeights}), for the task not to round them again.
     */
    static double[] orderWeights(ByteBuffer order, double[] reuse, ShardWorkspace ws) throws IOException {
        ByteBuffer in = order.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        in.position(in.position() + Integer.BYTES + in.getInt(in.position()) + 1);
        boolean asFloats = in.get() == 1;
        int n = in.getInt();
        if (n < 0 || in.remaining() != (long) n * (asFloats ? Float.BYTES : Double.BYTES)) {
            throw new IOException("a step order of " + n + " weights in " + in.remaining() + " bytes");
        }
        if (asFloats && ws != null) {
            return ws.takeFloatWeights(in.asFloatBuffer(), n, reuse);
        }
        if (ws != null) {
            ws.tookDoubleWeights();
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
     * One partition's sum as a message, in {@code scratch}'s buffer (valid until its next use): as
     * floats when every one of them is a float exactly (a float32 partition whose step rows fit
     * one workspace adds a single float partial sum into zeros, which the sum keeps as floats:
     * {@link GradientSum#floatSums}), else as doubles. Either way the driver gets the same
     * doubles, bit for bit.
     */
    static ByteBuffer sum(GradientSum sum, SumScratch scratch) {
        float[] floats = sum.floatSums(); // a float32 partition's one partial sum, as it was added
        double[] sums = floats != null || !sum.hasSums() ? null : sum.sums();
        if (floats == null && sums != null && scratch.roundsExactly(sums)) {
            floats = scratch.floats;
        }
        byte kind = floats != null ? FLOAT_SUMS : sums != null ? DOUBLE_SUMS : NO_SUMS;
        int n = kind == NO_SUMS ? 0 : sum.parameterCount();
        ByteBuffer out = scratch.message(SUM_HEADER + n * (kind == FLOAT_SUMS ? Float.BYTES : Double.BYTES));
        out.putDouble(sum.lossSum()).putLong(sum.count()).putDouble(sum.weight()).putDouble(sum.correct())
                .put(kind);
        if (kind == FLOAT_SUMS) {
            out.asFloatBuffer().put(floats, 0, n);
        } else if (kind == DOUBLE_SUMS) {
            out.asDoubleBuffer().put(sums);
        }
        return out.rewind(); // the views wrote past the header without moving the position
    }

    /** A task's buffers for {@link #sum}, kept from step to step. */
    static final class SumScratch {
        private float[] floats = new float[0];
        private ByteBuffer message = ByteBuffer.allocateDirect(0);

        /**
         * Rounds {@code values} into this scratch's floats and tells whether every one comes back
         * bit for bit ({@link PackedDoubles#roundsExactly}).
         */
        boolean roundsExactly(double[] values) {
            if (floats.length != values.length) {
                floats = new float[values.length];
            }
            return PackedDoubles.roundsExactly(values, floats);
        }

        /** The message buffer, little-endian, positioned at 0 with {@code size} bytes to fill. */
        ByteBuffer message(int size) {
            if (message.capacity() < size) {
                message = ByteBuffer.allocateDirect(size); // the channel sends a direct buffer as it is
            }
            return message.clear().limit(size).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** The sum a task sent, in a new array. */
    static GradientSum readSum(ByteBuffer message, int parameterCount) throws IOException {
        return readSum(message, parameterCount, null);
    }

    /**
     * The sum a task sent, its values in {@code reuse} when that holds parameterCount values, else
     * in a new array; the driver adds the step's sums into the first.
     */
    static GradientSum readSum(ByteBuffer message, int parameterCount, double[] reuse) throws IOException {
        ByteBuffer in = message.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < SUM_HEADER) {
            throw new IOException("a partial sum of " + in.remaining() + " bytes");
        }
        double lossSum = in.getDouble();
        long count = in.getLong();
        double weight = in.getDouble();
        double correct = in.getDouble();
        byte kind = in.get();
        int width = kind == FLOAT_SUMS ? Float.BYTES : Double.BYTES;
        if (kind != NO_SUMS && kind != FLOAT_SUMS && kind != DOUBLE_SUMS
                || in.remaining() != (kind == NO_SUMS ? 0 : (long) parameterCount * width)) {
            throw new IOException("a partial sum of kind " + kind + " with " + in.remaining() + " bytes of sums for "
                    + parameterCount + " parameters");
        }
        double[] sums = kind == NO_SUMS ? null
                : reuse != null && reuse.length == parameterCount ? reuse : new double[parameterCount];
        if (kind == DOUBLE_SUMS) {
            in.asDoubleBuffer().get(sums);
        } else if (kind == FLOAT_SUMS) {
            // in the driver's thread alone: the first sums come in while other tasks still compute
            var floats = in.asFloatBuffer();
            for (int i = 0; i < parameterCount; i++) {
                sums[i] = floats.get(i);
            }
        }
        return GradientSum.of(parameterCount, sums, lossSum, count, weight, correct);
    }
}
