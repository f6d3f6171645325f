package io.sparkprop.bench;

import io.sparkprop.nn.GradientSum;
import io.sparkprop.optim.Adam;
import io.sparkprop.spark.ResidentGradientSource;
import io.sparkprop.train.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the wall time of steps on step tasks ({@code stepMode=resident}) goes: no Spark job runs
 * per step, so there are no task records to read, only the step's wall time on the driver, the
 * forward and backward inside each task ({@link ComputeTimer}, whose times arrive when the tasks
 * end) and the update. What is left of the wall time after the compute is the exchange: the
 * order out, the sums back, unpacking and adding them.
 */
final class StepTaskTiming {

    /** Medians in milliseconds; {@code fallback} says why steps ran as a job each instead, or is null. */
    record Parts(int executors, int partitions, int steps, double wallMs, double computeMs, double updateMs,
                 long weightBytesPerTask, long sumBytesPerStep, String fallback) {

        /** The step less its compute: what the model's a + b P (and its bytes) stand for. */
        double exchangeMs() {
            return wallMs - computeMs;
        }
    }

    private StepTaskTiming() {
    }

    /**
     * Runs {@code warmUp} untimed steps, pauses the tasks (so that their compute times so far
     * arrive and are dropped), runs one more untimed step to launch them again, then times
     * {@code steps} steps and pauses them to collect the compute times.
     */
    static Parts measure(ResidentGradientSource source, ComputeTimer timer, double[] weights, int stepsPerEpoch,
                         int warmUp, int steps, int executors, int partitions, int weightBytesPerParameter) {
        for (int s = 0; s < warmUp; s++) {
            source.gradient(weights, new Step(7, 1, s % stepsPerEpoch, stepsPerEpoch));
        }
        source.pause();
        timer.reset();
        source.gradient(weights, new Step(7, 2, 0, stepsPerEpoch));
        Adam adam = new Adam();
        adam.initialise(weights.length);
        List<Double> wall = new ArrayList<>();
        List<Double> update = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            GradientSum sum = source.gradient(weights, new Step(7, 3, s % stepsPerEpoch, stepsPerEpoch));
            wall.add((System.nanoTime() - t0) / 1e6);
            update.add(StepAnatomy.updateMillis(adam, weights, sum));
        }
        source.pause();
        long n = weights.length;
        return new Parts(executors, partitions, steps, Benchmark.median(wall), timer.medianMillis(),
                Benchmark.median(update), weightBytesPerParameter * n, 8 * n * partitions, source.fallbackReason());
    }
}
