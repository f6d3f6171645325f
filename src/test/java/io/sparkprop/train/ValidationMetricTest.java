package io.sparkprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.BlockStacker;
import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import org.junit.jupiter.api.Test;

class ValidationMetricTest {

    @Test
    void rmseIsInTheLabelsUnitsWhateverTheTargetScaling() {
        // All weights 0: the network predicts 0 in scaled units, i.e. the mean 1 in the labels' units.
        Topology net = new Topology(new int[] {1, 2, 1}, Activation.TANH, Activation.IDENTITY, Loss.QUADRATIC);
        TargetEncoder targets = TargetEncoder.regression(1.0, 4.0);
        BlockStacker s = new BlockStacker(1, targets, null, 8);
        s.add(new double[] {0.3}, 3.0);  // error 2
        s.add(new double[] {0.7}, -5.0); // error -6
        GradientSum sums = new LocalGradientSource(net, s.finish()).evaluate(new double[net.parameterCount()]);
        ValidationMetric rmse = ValidationMetric.of(net, targets);
        assertEquals(Math.sqrt((4 + 36) / 2.0), rmse.of(sums), 1e-12);
        assertFalse(rmse.higherIsBetter());
    }

    @Test
    void accuracyForAClassifierAndNoRmseWithoutTheQuadraticCost() {
        Topology classifier = TrainerTest.NET;
        assertTrue(ValidationMetric.of(classifier, null).higherIsBetter());
        var e = assertThrows(IllegalArgumentException.class, () -> ValidationMetric.rmse(classifier, null));
        assertTrue(e.getMessage().startsWith("RMSE is derived from the quadratic cost"), e.getMessage());
    }
}
