package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** Gradient sums cross the network packed as bytes: every bit must come back. */
class GradientSumSerializationTest {

    private static GradientSum roundTrip(GradientSum sum) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sum);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (GradientSum) in.readObject();
        }
    }

    @Test
    void sumsAndStatisticsSurviveBitForBit() throws Exception {
        GradientSum sum = new GradientSum(5);
        double[] values = {1.5, -0.0, Double.MIN_VALUE, Double.NaN, -123456.789e-300};
        System.arraycopy(values, 0, sum.sums(), 0, values.length);
        sum.addStatistics(2.25, 7, 3);

        GradientSum back = roundTrip(sum);

        assertEquals(5, back.parameterCount());
        for (int i = 0; i < values.length; i++) {
            assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(back.sums()[i]),
                    "value " + i);
        }
        assertEquals(2.25, back.lossSum());
        assertEquals(7, back.count());
        assertEquals(3, back.correct());
    }

    @Test
    void statisticsOnlySumStaysWithoutGradient() throws Exception {
        GradientSum evaluation = new GradientSum(3);
        evaluation.addStatistics(1.0, 4, 2);

        GradientSum back = roundTrip(evaluation);
        GradientSum total = new GradientSum(3);
        total.sums()[0] = 9;
        total.merge(back);

        assertArrayEquals(new double[] {9, 0, 0}, total.sums());
        assertEquals(4, total.count());
    }
}
