package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTest {

    @Test
    void aTaskIsFoundByItsConfName() {
        assertEquals(Task.CLASSIFICATION, Task.fromParam("classification"));
        assertEquals(Task.REGRESSION, Task.fromParam("regression"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Task.fromParam("ranking"));
        assertEquals("'ranking' is neither classification nor regression", e.getMessage());
    }

    @Test
    void eachTaskHasItsLossesAndDefault() {
        assertEquals(List.of("crossEntropy", "binaryCrossEntropy", "quadratic"), Task.CLASSIFICATION.losses());
        assertEquals("crossEntropy", Task.CLASSIFICATION.defaultLoss());
        assertEquals(List.of("quadratic"), Task.REGRESSION.losses());
        assertEquals("quadratic", Task.REGRESSION.defaultLoss());
    }

    @Test
    void theQuadraticCostHasSigmoidOutputsForClassesAndIdentityOutputsForValues() {
        assertEquals(Activation.SIGMOID, Task.CLASSIFICATION.outputActivation(Loss.QUADRATIC));
        assertEquals(Activation.SOFTMAX, Task.CLASSIFICATION.outputActivation(Loss.CROSS_ENTROPY));
        assertEquals(Activation.IDENTITY, Task.REGRESSION.outputActivation(Loss.QUADRATIC));
    }

    @Test
    void aModelOfOneTaskRefusesTheOthersTargets() {
        Task.CLASSIFICATION.checkTargets(TargetEncoder.classes(3, Loss.CROSS_ENTROPY));
        Task.REGRESSION.checkTargets(TargetEncoder.regression(0.0, 1.0));
        assertThrows(IllegalArgumentException.class,
                () -> Task.CLASSIFICATION.checkTargets(TargetEncoder.regression(0.0, 1.0)));
        assertThrows(IllegalArgumentException.class,
                () -> Task.REGRESSION.checkTargets(TargetEncoder.classes(2, Loss.CROSS_ENTROPY)));
    }

    @Test
    void theMetricAndTheReportsPartsFollowTheTask() {
        assertEquals("accuracy", Task.CLASSIFICATION.metricName());
        assertEquals("acc", Task.CLASSIFICATION.metricAbbreviation());
        assertTrue(Task.CLASSIFICATION.hasTrainingMetric() && Task.CLASSIFICATION.hasClasses());
        assertEquals("RMSE", Task.REGRESSION.metricName());
        assertEquals("rmse", Task.REGRESSION.metricAbbreviation());
        assertFalse(Task.REGRESSION.hasTrainingMetric() || Task.REGRESSION.hasClasses());
        assertTrue(Task.CLASSIFICATION.newEstimator() instanceof FeedForwardClassifier);
        assertTrue(Task.REGRESSION.newEstimator() instanceof FeedForwardRegressor);
    }
}
