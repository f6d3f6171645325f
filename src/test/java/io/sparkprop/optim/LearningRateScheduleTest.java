package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void constantStepAndCosine() {
        assertEquals(0.1, LearningRateSchedule.CONSTANT.stepSize(0.1, 7, 3, 10, 20), 0.0);
        LearningRateSchedule step = new LearningRateSchedule("step", 0.5, 2, 0);
        assertEquals(1.0, step.stepSize(1.0, 1, 0, 10, 20), 0.0);
        assertEquals(1.0, step.stepSize(1.0, 2, 9, 10, 20), 0.0);
        assertEquals(0.5, step.stepSize(1.0, 3, 0, 10, 20), 0.0);
        assertEquals(0.25, step.stepSize(1.0, 5, 0, 10, 20), 0.0);
        LearningRateSchedule cosine = new LearningRateSchedule("cosine", 0.5, 1, 0);
        assertEquals(1.0, cosine.stepSize(1.0, 1, 0, 10, 4), 1e-15);
        assertEquals(0.5, cosine.stepSize(1.0, 3, 0, 10, 4), 1e-15); // half way: 2 of 4 epochs done
        assertEquals((1 + Math.cos(Math.PI * 0.25)) / 2, cosine.stepSize(1.0, 1, 5, 10, 2), 1e-15);
    }

    @Test
    void warmUpRampsLinearlyStepByStep() {
        LearningRateSchedule warm = new LearningRateSchedule("constant", 0.5, 1, 2);
        assertEquals(0.1 * 1 / 20, warm.stepSize(0.1, 1, 0, 10, 5), 1e-15);
        assertEquals(0.1 * 11 / 20, warm.stepSize(0.1, 2, 0, 10, 5), 1e-15);
        assertEquals(0.1, warm.stepSize(0.1, 2, 9, 10, 5), 1e-15);
        assertEquals(0.1, warm.stepSize(0.1, 3, 0, 10, 5), 1e-15);
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule("linear", 0.5, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule("step", 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule("step", 0.5, 0, 0));
    }
}
