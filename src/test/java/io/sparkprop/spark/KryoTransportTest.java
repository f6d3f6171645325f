package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkprop.nn.GradientSum;
import java.nio.ByteBuffer;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scala.reflect.ClassTag$;

/**
 * Task results and broadcasts go through spark.serializer, which clusters often set to Kryo:
 * the packed byte form Java serialization gets must not cost Kryo the arrays themselves.
 */
class KryoTransportTest {

    private static SerializerInstance serializer(String name) {
        SparkConf conf = new SparkConf();
        Serializer s = name.equals("kryo") ? new KryoSerializer(conf) : new JavaSerializer(conf);
        return s.newInstance();
    }

    private static <T> T roundTrip(SerializerInstance s, T value) {
        ByteBuffer bytes = s.serialize(value, ClassTag$.MODULE$.apply(Object.class));
        return s.deserialize(bytes, ClassTag$.MODULE$.apply(Object.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "kryo"})
    void gradientSumsKeepTheirSums(String name) {
        GradientSum sum = new GradientSum(3);
        sum.sums()[0] = 1.5;
        sum.sums()[2] = -2.25;

        GradientSum back = roundTrip(serializer(name), sum);

        assertArrayEquals(new double[] {1.5, 0, -2.25}, back.sums());
        assertEquals(3, back.parameterCount());
    }

    /** A float32 task's result on a job a step: one partial sum, which the sum holds as floats. */
    @ParameterizedTest
    @ValueSource(strings = {"java", "kryo"})
    void gradientSumsHeldAsFloatsArriveAsThoseFloatsWidened(String name) {
        GradientSum sum = GradientSum.of(3, null, 1.0, 2, 2.0, 1.0);
        sum.addFloats(new float[] {0.1f, 0f, -3e-39f});

        GradientSum back = roundTrip(serializer(name), sum);

        assertArrayEquals(new double[] {0.1f, 0, -3e-39f}, back.sums());
        assertEquals(2, back.count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "kryo"})
    void weightsArriveWhole(String name) {
        double[] w = {0.25, -1e-300, 7, Double.MAX_VALUE};
        WeightsMessage back = roundTrip(serializer(name), new WeightsMessage(w.clone(), false));
        assertArrayEquals(w, back.values());
    }

    /** float32 training's weights: rounded to float by Java serialization, whole by Kryo; the executors round them. */
    @ParameterizedTest
    @ValueSource(strings = {"java", "kryo"})
    void float32WeightsArriveAsTheFloatsTheExecutorsUse(String name) {
        double[] w = {0.1, -1e-3 / 3, 7, 1e20};
        double[] back = roundTrip(serializer(name), new WeightsMessage(w.clone(), true)).values();
        for (int i = 0; i < w.length; i++) {
            assertEquals((float) w[i], (float) back[i]);
            if (name.equals("java")) {
                assertEquals((double) (float) w[i], back[i], 0.0, "sent as a float");
            }
        }
    }
}
