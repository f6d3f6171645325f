package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TopologyTest {

    @Test
    void rejectsALayerOfWidthZero() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Topology(new int[] {4, 0, 2}, Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY));
        assertTrue(e.getMessage().contains("layer 1 has width 0"), e.getMessage());
    }

    @Test
    void rejectsALossThatDoesNotFitTheOutputUnit() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Topology(new int[] {4, 3, 2}, Activation.RELU, Activation.SIGMOID, Loss.CROSS_ENTROPY));
        assertTrue(e.getMessage().contains("crossEntropy does not fit output unit sigmoid"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Topology(new int[] {4, 3, 1}, Activation.RELU, Activation.IDENTITY, Loss.BINARY_CROSS_ENTROPY));
    }

    @Test
    void rejectsSoftmaxAsAHiddenUnitAndASingleSoftmaxOutput() {
        assertThrows(IllegalArgumentException.class,
                () -> new Topology(new int[] {4, 3, 2}, Activation.SOFTMAX, Activation.SOFTMAX, Loss.CROSS_ENTROPY));
        assertThrows(IllegalArgumentException.class,
                () -> new Topology(new int[] {4, 3, 1}, Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY));
    }

    @Test
    void layoutIsSparkMlpsWThenBPerLayer() {
        Topology t = new Topology(new int[] {4, 3, 2}, Activation.SIGMOID, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        assertEquals(0, t.weightOffset(1));
        assertEquals(12, t.biasOffset(1));
        assertEquals(15, t.weightOffset(2));
        assertEquals(21, t.biasOffset(2));
        assertEquals(23, t.parameterCount());
    }

    @Test
    void parsesParamNamesAndNamesTheChoicesWhenWrong() {
        assertEquals(Loss.BINARY_CROSS_ENTROPY, Loss.fromParam("binaryCrossEntropy"));
        assertEquals(Activation.TANH, Activation.fromParam("tanh"));
        var e = assertThrows(IllegalArgumentException.class, () -> Loss.fromParam("hinge"));
        assertTrue(e.getMessage().contains("hinge") && e.getMessage().contains("crossEntropy"));
    }

    @Test
    void initialWeightsDependOnlyOnTheSeed() {
        Topology t = new Topology(new int[] {4, 3, 2}, Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        double[] a = WeightInit.initialWeights(t, 5);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(WeightInit.initialWeights(t, 5)));
        assertTrue(a[0] != WeightInit.initialWeights(t, 6)[0]);
        double heLimit = Math.sqrt(6.0 / 4);
        for (int i = 0; i < 12; i++) {
            assertTrue(Math.abs(a[i]) <= heLimit);
        }
        for (int i = 12; i < 15; i++) {
            assertEquals(0.0, a[i], "biases start at 0");
        }
    }
}
