package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.nn.Dropout;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.train.Step;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;

class StepWireTest {
    private static final int N = 20_000; // more than one chunk of the scratch buffer
    private static final SerializerInstance SERIALIZER = new JavaSerializer(new SparkConf()).newInstance();
    private static final ClassLoader LOADER = StepWireTest.class.getClassLoader();

    @Test
    void sumsComeBackAsTheSameDoublesWhetherTheyTravelAsFloatsOrDoubles() throws IOException {
        Random random = new Random(3);
        double[] floats = new double[N];
        double[] doubles = new double[N];
        for (int i = 0; i < N; i++) {
            floats[i] = (float) random.nextGaussian();
            doubles[i] = floats[i] + (float) random.nextGaussian(); // two floats added in double
        }
        floats[7] = -0.0;
        doubles[5] = Double.NaN;
        StepWire.SumScratch scratch = new StepWire.SumScratch();
        assertTrue(scratch.roundsExactly(floats));
        assertFalse(scratch.roundsExactly(doubles));
        assertTrue(scratch.roundsExactly(new double[] {Double.NaN}), "Java's NaN is a float's NaN widened");
        assertFalse(scratch.roundsExactly(new double[] {Double.longBitsToDouble(0x7ff0000000000001L)}),
                "a NaN whose payload a float cannot hold goes as a double");
        assertFalse(scratch.roundsExactly(new double[] {0.0, 1e300}), "beyond float's range");
        assertFalse(scratch.roundsExactly(new double[] {Double.MIN_VALUE}), "below float's smallest");
        assertTrue(scratch.roundsExactly(new double[] {Float.MIN_VALUE, -Float.MAX_VALUE,
            Double.NEGATIVE_INFINITY}));

        ByteBuffer asFloats = sent(sum(floats, 2.5, 4, 3.0, 2.0));
        ByteBuffer asDoubles = sent(sum(doubles, 2.5, 4, 3.0, 2.0));
        assertEquals(33 + 4 * N, asFloats.remaining(), "floats: half the bytes");
        assertEquals(33 + 8 * N, asDoubles.remaining());
        GradientSum back = StepWire.readSum(asFloats, N);
        assertArrayEquals(floats, back.sums());
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back.sums()[7]));
        assertEquals(2.5, back.lossSum());
        assertEquals(4, back.count());
        assertEquals(3.0, back.weight());
        assertEquals(2.0, back.correct());
        double[] nanPayload = floats.clone();
        nanPayload[11] = Double.longBitsToDouble(0x7ff0000000000001L);
        GradientSum backNan = StepWire.readSum(sent(sum(nanPayload, 0, 1, 1, 0)), N);
        assertEquals(0x7ff0000000000001L, Double.doubleToRawLongBits(backNan.sums()[11]));
        GradientSum backDoubles = StepWire.readSum(asDoubles, N);
        for (int i = 0; i < N; i++) {
            assertEquals(Double.doubleToRawLongBits(doubles[i]), Double.doubleToRawLongBits(backDoubles.sums()[i]));
        }
    }

    @Test
    void oneValueThatIsNotAFloatSendsTheWholeSumAsDoublesWhereverItIs() throws IOException {
        for (int at : new int[] {0, 63, 64, N - 1}) {
            double[] values = new double[N];
            for (int i = 0; i < N; i++) {
                values[i] = (float) (i * 0.37 - 5);
            }
            values[at] = 0.1;
            assertFalse(new StepWire.SumScratch().roundsExactly(values), "at " + at);
            ByteBuffer message = sent(sum(values, 1.0, 2, 2.0, 1.0));
            assertEquals(33 + 8 * N, message.remaining(), "at " + at);
            assertArrayEquals(values, StepWire.readSum(message, N).sums());
        }
    }

    @Test
    void oneScratchBuildsSumsOfEitherKindInTurn() throws IOException {
        // a task's scratch is reused for every message: a double sum grows its buffer, and a float
        // sum after it must still be as long as its own bytes, not the buffer's
        StepWire.SumScratch scratch = new StepWire.SumScratch();
        double[] floats = new double[N];
        double[] doubles = new double[N];
        for (int i = 0; i < N; i++) {
            floats[i] = (float) (i * 0.25 - 7);
            doubles[i] = i * 0.1 + 1e-9;
        }
        for (double[] values : new double[][] {floats, doubles, floats, doubles}) {
            ByteBuffer message = StepWire.sum(sum(values, 1.0, 2, 2.0, 1.0), scratch);
            int width = values == floats ? Float.BYTES : Double.BYTES;
            assertEquals(33 + width * N, message.remaining());
            ByteBuffer copy = ByteBuffer.allocate(message.remaining()).put(message).flip();
            assertArrayEquals(values, StepWire.readSum(copy, N).sums());
        }
    }

    @Test
    void aSumIsReadIntoTheArrayGivenWhenItFits() throws IOException {
        double[] values = new double[N];
        for (int i = 0; i < N; i++) {
            values[i] = (float) (i * 0.37 - 5);
        }
        double[] reuse = new double[N];
        java.util.Arrays.fill(reuse, 99.0); // every value is overwritten, none added to
        GradientSum back = StepWire.readSum(sent(sum(values, 1.0, 2, 2.0, 1.0)), N, reuse);
        assertSame(reuse, back.sums());
        assertArrayEquals(values, reuse);
        double[] notFloats = new double[N];
        for (int i = 0; i < N; i++) {
            notFloats[i] = i * 0.37 - 5; // sent as doubles
        }
        GradientSum doubles = StepWire.readSum(sent(sum(notFloats, 1.0, 2, 2.0, 1.0)), N, reuse);
        assertSame(reuse, doubles.sums());
        assertArrayEquals(notFloats, reuse);
        assertNotSame(reuse, StepWire.readSum(sent(sum(values, 1.0, 2, 2.0, 1.0)), N, new double[N - 1]).sums(),
                "an array of another length is not the network's");
        assertFalse(StepWire.readSum(sent(GradientSum.of(N, null, 1.5, 3, 3.0, 1.0)), N, reuse).hasSums());
    }

    @Test
    void aSumHeldAsFloatsGoesAsThoseFloats() throws IOException {
        float[] partial = new float[N];
        Random random = new Random(5);
        for (int i = 0; i < N; i++) {
            partial[i] = (float) random.nextGaussian();
        }
        GradientSum held = GradientSum.of(N, null, 2.5, 4, 4.0, 3.0);
        held.addFloats(partial);
        ByteBuffer message = sent(held);
        assertEquals(33 + N * Float.BYTES, message.remaining(), "the header, then one float a value");
        GradientSum back = StepWire.readSum(message, N);
        for (int i = 0; i < N; i++) {
            assertEquals((double) partial[i], back.sums()[i], 0.0);
        }
        assertEquals(4, back.count());
        assertTrue(held.floatSums() != null, "sending them did not turn them into doubles");
    }

    @Test
    void aSumOfStatisticsOnlyStaysWithoutSums() throws IOException {
        GradientSum stats = GradientSum.of(N, null, 1.5, 3, 3.0, 1.0);
        ByteBuffer message = sent(stats);
        assertEquals(33, message.remaining(), "the header alone");
        GradientSum back = StepWire.readSum(message, N);
        assertFalse(back.hasSums());
        assertEquals(1.5, back.lossSum());
        assertEquals(3, back.count());
    }

    @Test
    void anOrderCarriesTheTaskItsSetAndTheWeightsRoundedOnceForFloat32() throws IOException {
        double[] w = {0.1, -2.75, 1e-30, 3.0};
        ShardTask task = ShardTask.gradient(new Step(42, 3, 5, 29));
        ByteBuffer order = StepWire.order(StepWire.taskCode(task, SERIALIZER), 1, w, new float[w.length], null);
        assertEquals(task, StepWire.orderTask(order, SERIALIZER, LOADER));
        assertEquals(1, StepWire.orderSet(order, 2), "the validation set");
        assertThrows(IOException.class, () -> StepWire.orderSet(order, 1), "a task that serves no validation rows");
        double[] back = StepWire.orderWeights(order, null, null);
        for (int i = 0; i < w.length; i++) {
            assertEquals((double) (float) w[i], back[i], 0.0);
        }
        double[] reuse = new double[w.length];
        assertTrue(StepWire.orderWeights(StepWire.order(StepWire.taskCode(task, SERIALIZER), 0, w, null, order),
                reuse, null) == reuse, "the weights' array is reused when it fits");
        assertArrayEquals(w, reuse);
        ByteBuffer truncated = order.duplicate().limit(order.limit() - 1);
        assertThrows(IOException.class, () -> StepWire.orderWeights(truncated, null, null));
    }

    @Test
    void aFloat32OrderIsRoundedIntoItsScratchAndReachesTheWorkspaceAsSent() throws IOException {
        double[] w = {0.1, -2.75, 1e-30, 3.0, 1.0 / 3};
        ByteBuffer code = StepWire.taskCode(ShardTask.gradient(new Step(1, 1, 0, 2)), SERIALIZER);
        float[] rounded = new float[w.length];
        ByteBuffer order = StepWire.order(code, 0, w, rounded, null);
        double[] reuse = new double[w.length];
        double[] back = StepWire.orderWeights(order, reuse, new io.sparkprop.train.ShardWorkspace(
                new io.sparkprop.nn.Topology(new int[] {1, 1, 1}, io.sparkprop.nn.Activation.RELU,
                        io.sparkprop.nn.Activation.SIGMOID, io.sparkprop.nn.Loss.BINARY_CROSS_ENTROPY), 2));
        assertTrue(back == reuse, "the weights' array is reused when it fits");
        for (int i = 0; i < w.length; i++) {
            assertEquals((float) w[i], rounded[i], 0.0f);
            assertEquals((double) (float) w[i], back[i], 0.0);
        }
        assertThrows(IllegalArgumentException.class, () -> StepWire.order(code, 0, w, new float[3], null));
    }

    @Test
    void trainingAndEvaluationTasksGoByTheirFieldsAndAnyOtherTaskSerialized() throws IOException {
        ShardTask plain = ShardTask.gradient(new Step(-7, 12, 28, 29));
        ByteBuffer code = StepWire.taskCode(plain, SERIALIZER);
        assertEquals(1 + 8 + 4 * 4 + 8, code.remaining(), "a kind, the step's fields and one dropout rate");
        assertEquals(plain, taskBack(code));
        ShardTask dropped = ShardTask.gradient(new Step(5, 2, 0, 3, new Dropout(new double[] {0.2, 0.5})));
        assertEquals(dropped, taskBack(StepWire.taskCode(dropped, SERIALIZER)), "the step's dropout rates too");
        assertSame(ShardTask.evaluate(), taskBack(StepWire.taskCode(ShardTask.evaluate(), SERIALIZER)));
        assertEquals(1, StepWire.taskCode(ShardTask.evaluate(), SERIALIZER).remaining());

        double marker = 6.5; // a decorated task is a lambda, which only serialization carries
        ShardTask other = (w, partition, shard, ws, into) -> into.sums()[0] = marker + partition;
        ShardTask otherBack = taskBack(StepWire.taskCode(other, SERIALIZER));
        GradientSum into = new GradientSum(2);
        otherBack.run(null, 3, null, null, into);
        assertEquals(9.5, into.sums()[0]);
    }

    @Test
    void aTaskCodeThatDoesNotParseIsAnIOException() {
        for (byte[] bad : new byte[][] {{}, {9}, {1, 0, 0}, {1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 1, 0, 0, 0, 0, 0, 0, 0}}) {
            ByteBuffer order = StepWire.order(ByteBuffer.wrap(bad), 0, new double[] {1.0}, null, null);
            assertThrows(IOException.class, () -> StepWire.orderTask(order, SERIALIZER, LOADER),
                    "task code of " + bad.length + " bytes");
        }
    }

    private static ShardTask taskBack(ByteBuffer code) throws IOException {
        return StepWire.orderTask(StepWire.order(code, 0, new double[] {1.0}, null, null), SERIALIZER, LOADER);
    }

    private static GradientSum sum(double[] sums, double loss, long count, double weight, double correct) {
        return GradientSum.of(sums.length, sums.clone(), loss, count, weight, correct);
    }

    /** What a task sends, as the driver's link hands it over: the message without its length, in a buffer of its own. */
    private static ByteBuffer sent(GradientSum sum) {
        ByteBuffer message = StepWire.sum(sum, new StepWire.SumScratch());
        ByteBuffer copy = ByteBuffer.allocate(message.remaining()).put(message);
        assertFalse(message.hasRemaining(), "the whole message was handed over");
        return copy.flip();
    }

    @Test
    void aMessageOfTheWrongSizeOrKindIsRefused() throws IOException {
        assertThrows(IOException.class, () -> StepWire.readSum(ByteBuffer.allocate(3), N));
        ByteBuffer doubles = sent(sum(new double[N], 0, 1, 1, 0));
        assertThrows(IOException.class, () -> StepWire.readSum(doubles, N + 1), "sums for another network");
        ByteBuffer unknown = sent(GradientSum.of(N, null, 0, 1, 1, 0));
        unknown.put(32, (byte) 7);
        assertThrows(IOException.class, () -> StepWire.readSum(unknown, N));
    }
}
