package io.sparkprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScalingModelTest {
    /** 10 ms a step, 3 ms an executor, 4 ms a task, 50 us a row, 1 ns to merge and 2 ns to update a parameter. */
    static final ScalingModel LOOPBACK = new ScalingModel(0.010, 0.003, 0.004, 50e-6, 1e-9, 2e-9, 235_146,
            Double.POSITIVE_INFINITY, 0);

    @Test
    void theFitRecoversTheStepAndExecutorCostsItWasMadeWith() {
        int[] p = {1, 2, 4};
        double[] overhead = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            overhead[i] = LOOPBACK.overheadSeconds(p[i]) - LOOPBACK.perTaskSeconds(); // the driver's part
        }
        ScalingModel fitted = ScalingModel.fit(p, overhead, 0.004, 50e-6, 1e-9, 2e-9, 235_146, Double.POSITIVE_INFINITY, 0);
        assertEquals(0.010, fitted.perStepSeconds(), 1e-12);
        assertEquals(0.003, fitted.perExecutorSeconds(), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> ScalingModel.fit(new int[] {2, 2}, new double[] {1, 1}, 0, 1, 0, 0, 1, 1, 0));
    }

    @Test
    void executorsSharingCoresQueueForThemAndOnEnoughCoresTheStepIsTheClustersOwn() {
        // Two tasks of half the batch at 56.6 ms each against 79.4 ms for all of it in one: 1.4 cores.
        double throughput = ScalingModel.parallelThroughput(0.0794, 0.0566, 2);
        assertEquals(0.0794 / 0.0566, throughput, 1e-12);
        assertEquals(2.0, ScalingModel.parallelThroughput(0.080, 0.030, 2), 1e-12, "never more than the slots");
        assertEquals(1.0, ScalingModel.parallelThroughput(0.080, 0.100, 2), 1e-12, "never less than one core");
        assertThrows(IllegalArgumentException.class, () -> ScalingModel.parallelThroughput(0.080, 0, 2));

        assertEquals(LOOPBACK.stepSeconds(1, 2048), LOOPBACK.stepSecondsSharing(1, 2048, throughput), 1e-15);
        assertEquals(LOOPBACK.stepSeconds(4, 2048), LOOPBACK.stepSecondsSharing(4, 2048, 4.0), 1e-15);
        // Four executors on 1.4 cores: the whole batch's compute over 1.4, four tasks' own costs over 1.4.
        double expected = 50e-6 * 2048 / throughput + LOOPBACK.overheadSeconds(4) - 0.004 + 0.004 * 4 / throughput;
        assertEquals(expected, LOOPBACK.stepSecondsSharing(4, 2048, throughput), 1e-15);
        assertTrue(LOOPBACK.stepSecondsSharing(4, 2048, throughput) > LOOPBACK.stepSeconds(4, 2048));
    }

    @Test
    void theDriverReceivesAtMostEightSums() {
        // The tree's levels are the trainer's own (SparkTrainerTest.treeDepthGrowsWithThePartitionCount).
        assertEquals(8, ScalingModel.sumsAtDriver(8));
        assertEquals(2, ScalingModel.sumsAtDriver(9));
        assertEquals(4, ScalingModel.sumsAtDriver(256));
    }

    @Test
    void efficiencyIsOneOnOneExecutorAndTheBatchFor80PercentReachesIt() {
        ScalingModel m = LOOPBACK.onNetwork(10e9 / 8, 1e-4);
        assertEquals(1.0, m.efficiency(1, 2048), 1e-12);
        for (int p : new int[] {8, 32, 128, 256}) {
            double batch = m.batchForEfficiency(p, 0.8);
            assertEquals(0.8, m.efficiency(p, batch), 1e-9, "P=" + p);
            assertTrue(m.efficiency(p, batch / 2) < 0.8);
        }
    }

    @Test
    void aWiderNetworkMovesMoreBytesAndTheDriverBindsSooner() {
        ScalingModel m = LOOPBACK.onNetwork(10e9 / 8, 1e-4);
        ScalingModel wide = m.forNetwork(5_300_490, 22.0);
        assertTrue(wide.overheadSeconds(32) > m.overheadSeconds(32));
        assertTrue(wide.driverSeconds(256) > m.driverSeconds(256));
        int bound = m.driverBoundFrom(2048);
        assertTrue(bound > 1, "a single executor computes more than the driver merges: " + bound);
        assertTrue(m.driverSeconds(bound) > m.computeSeconds(bound, 2048));
        assertTrue(m.driverSeconds(bound / 2) <= m.computeSeconds(bound / 2, 2048));
    }

    /** Step tasks: 2 ms a step, 1.5 ms a task, 50 us a row, 1 ns to merge and 2 ns to update a parameter, float64. */
    static final StepTaskModel STEP_TASKS = new StepTaskModel(0.002, 0.0015, 50e-6, 1e-9, 2e-9, 235_146, 16,
            Double.POSITIVE_INFINITY, 0);

    @Test
    void theStepTaskFitRecoversItsCostsAndTheirBytesGoThroughTheDriver() {
        int[] p = {1, 2, 4};
        double[] overhead = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            overhead[i] = STEP_TASKS.overheadSeconds(p[i]);
        }
        StepTaskModel fitted = StepTaskModel.fit(p, overhead, 50e-6, 1e-9, 2e-9, 235_146, 16);
        assertEquals(0.002, fitted.perStepSeconds(), 1e-12);
        assertEquals(0.0015, fitted.perTaskSeconds(), 1e-12);

        // On 10 Gbit/s every task's weights (8 n) and sums (8 n) cross the driver's link: no tree.
        StepTaskModel m = STEP_TASKS.onNetwork(10e9 / 8, 1e-4);
        double wire = 16.0 * 235_146 / (10e9 / 8);
        assertEquals(m.overheadSeconds(1) + 255 * (0.0015 + wire + 235_146 * 1e-9), m.overheadSeconds(256), 1e-12);
        assertEquals(m.overheadSeconds(8) - 2e-4, m.driverSeconds(8), 1e-15, "all but the round trip is the driver's");
        int bound = m.driverBoundFrom(2048);
        assertTrue(m.driverSeconds(bound) > m.computeSeconds(bound, 2048));
        assertTrue(m.driverSeconds(bound / 2) <= m.computeSeconds(bound / 2, 2048));
        assertEquals(0.8, m.efficiency(32, m.batchForEfficiency(32, 0.8)), 1e-9);

        // A network with 22x the parameters: its per-task cost (handling the bytes) grows as they do.
        StepTaskModel wide = m.forNetwork(22 * 235_146L, 22.0);
        assertEquals(22 * 0.0015, wide.perTaskSeconds(), 1e-12);
        assertEquals(22 * 50e-6, wide.computeSecondsPerRow(), 1e-15);
        assertTrue(wide.driverSeconds(32) > 20 * m.driverSeconds(32) - 0.002 * 20);
        // Sharing two cores, only the compute queues.
        assertEquals(50e-6 * 2048 / 1.5 + STEP_TASKS.overheadSeconds(4),
                STEP_TASKS.stepSecondsSharing(4, 2048, 1.5), 1e-15);
    }
}
