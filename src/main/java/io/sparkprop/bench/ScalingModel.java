package io.sparkprop.bench;

import io.sparkprop.spark.SparkGradientSource;

/**
 * A step's time on P executors, from a few figures measured on this machine and the network's
 * bandwidth and latency, which one machine cannot measure and so are inputs:
 *
 * <pre>
 *   T(P, B) = c B / P                                  compute: c seconds a row on one core
 *           + e                                        each task's own cost besides compute
 *                                                      (deserializing, reading its blocks), in parallel
 *           + a + b P                                  the driver, per step and per task (scheduling,
 *                                                      launching, taking results), fitted here
 *           + P S / bw                                 weights out: the driver serves the task
 *                                                      binary (S = 8 n bytes) to every executor
 *           + L (latency + F S / bw + a)              each level of the sums' tree below the
 *                                                      driver: a shuffle stage, F sums per reducer
 *           + R S / bw + R n m                         the R = ceil(P / F^L) sums the driver
 *                                                      receives, and merges at m seconds a parameter
 *           + n u + 2 latency                          the optimizer (u a parameter) and the round trip
 * </pre>
 *
 * with F = 8 the fan-in and L = 0 up to 8 partitions, one more level per factor of 8 (as
 * {@code SparkGradientSource} does). Efficiency is against P times one executor at the same
 * global batch: E = T(1, B) / (P T(P, B)). The driver is the bottleneck where its own work
 * per step (b P + the sums it receives and merges + the update) exceeds an executor's compute.
 */
record ScalingModel(double perStepSeconds, double perExecutorSeconds, double perTaskSeconds,
                    double computeSecondsPerRow,
                    double mergeSecondsPerParameter, double updateSecondsPerParameter, long parameters,
                    double bandwidthBytesPerSecond, double latencySeconds) implements StepCostModel {

    static final int FAN_IN = SparkGradientSource.FAN_IN;

    /** Tree levels below the driver for P partitions: 0 up to {@link #FAN_IN}, as the trainer merges. */
    static int treeLevels(int p) {
        return SparkGradientSource.aggregationDepth(p) - 1;
    }

    /** Sums that reach the driver itself. */
    static int sumsAtDriver(int p) {
        long below = 1;
        for (int l = 0; l < treeLevels(p); l++) {
            below *= FAN_IN;
        }
        return (int) ((p + below - 1) / below);
    }

    double sumBytes() {
        return 8.0 * parameters;
    }

    @Override
    public double overheadSeconds(int p) {
        int levels = treeLevels(p);
        int atDriver = sumsAtDriver(p);
        double wire = sumBytes() / bandwidthBytesPerSecond;
        return perStepSeconds + perExecutorSeconds * p + perTaskSeconds
                + p * wire
                + levels * (latencySeconds + FAN_IN * wire + perStepSeconds)
                + atDriver * wire + Math.max(0, atDriver - 1) * parameters * mergeSecondsPerParameter
                + parameters * updateSecondsPerParameter + 2 * latencySeconds;
    }

    /** The driver's own seconds a step: per-task work, receiving and merging the sums, the update. */
    @Override
    public double driverSeconds(int p) {
        int atDriver = sumsAtDriver(p);
        return perExecutorSeconds * p + atDriver * sumBytes() / bandwidthBytesPerSecond
                + Math.max(0, atDriver - 1) * parameters * mergeSecondsPerParameter
                + parameters * updateSecondsPerParameter;
    }

    /**
     * The step as one machine runs it when its P executor JVMs share cores that give
     * {@code throughput} times one core's work: the executors' compute and each task's own
     * costs queue for them, and the driver's parts are as on a cluster. This is how the model
     * is checked against local-cluster runs; predictions for a cluster use {@link #stepSeconds}.
     */
    double stepSecondsSharing(int p, double batch, double throughput) {
        return computeSecondsPerRow * batch / Math.min(p, throughput)
                + overheadSeconds(p) - perTaskSeconds + perTaskSeconds * Math.max(1.0, p / throughput);
    }

    /**
     * How many cores' work this machine gives tasks that run together: a batch's compute in one
     * task over its compute split across {@code slots} tasks at once, between 1 and {@code slots}.
     * Two hyperthreads, or cores shared with other virtual machines, give less than two.
     */
    static double parallelThroughput(double oneTaskSeconds, double splitTaskSeconds, int slots) {
        if (!(oneTaskSeconds > 0) || !(splitTaskSeconds > 0)) {
            throw new IllegalArgumentException("compute times must be positive: " + oneTaskSeconds + ", "
                    + splitTaskSeconds);
        }
        return Math.max(1.0, Math.min(slots, oneTaskSeconds / splitTaskSeconds));
    }

    /** The same model for another network: the per-row compute scales with the flops, the bytes with the parameters. */
    @Override
    public ScalingModel forNetwork(long otherParameters, double flopsRatio) {
        return new ScalingModel(perStepSeconds, perExecutorSeconds, perTaskSeconds, computeSecondsPerRow * flopsRatio,
                mergeSecondsPerParameter, updateSecondsPerParameter, otherParameters, bandwidthBytesPerSecond,
                latencySeconds);
    }

    ScalingModel onNetwork(double bandwidthBytesPerSecond, double latencySeconds) {
        return new ScalingModel(perStepSeconds, perExecutorSeconds, perTaskSeconds, computeSecondsPerRow,
                mergeSecondsPerParameter, updateSecondsPerParameter, parameters, bandwidthBytesPerSecond,
                latencySeconds);
    }

    /** The same model with another driver cost per executor (a what-if: a driver with cores of its own). */
    ScalingModel withPerExecutorSeconds(double seconds) {
        return new ScalingModel(perStepSeconds, seconds, perTaskSeconds, computeSecondsPerRow,
                mergeSecondsPerParameter, updateSecondsPerParameter, parameters, bandwidthBytesPerSecond,
                latencySeconds);
    }

    /**
     * Least squares of a + b P against the driver's measured part of each step (scheduling, taking
     * the sums back, merging) after the model's byte terms on this machine's network are taken
     * out; the rest of the model's inputs are measured directly.
     *
     * @param executors     P of each run
     * @param overheadSecs  measured driver-side seconds of a step at that P
     * @param perTaskSeconds e, measured with one executor
     */
    static ScalingModel fit(int[] executors, double[] overheadSecs, double perTaskSeconds, double computeSecondsPerRow,
                            double mergeSecondsPerParameter, double updateSecondsPerParameter, long parameters,
                            double bandwidthBytesPerSecond, double latencySeconds) {
        if (executors.length != overheadSecs.length) {
            throw new IllegalArgumentException("need an overhead for each executor count");
        }
        ScalingModel bare = new ScalingModel(0, 0, 0, computeSecondsPerRow, mergeSecondsPerParameter,
                updateSecondsPerParameter, parameters, bandwidthBytesPerSecond, latencySeconds);
        double[] rest = new double[executors.length];
        for (int i = 0; i < executors.length; i++) {
            rest[i] = overheadSecs[i] - bare.overheadSeconds(executors[i]);
        }
        double[] line = StepCostModel.fitLine(executors, rest);
        double a = line[0];
        double b = line[1];
        return new ScalingModel(a, b, perTaskSeconds, computeSecondsPerRow, mergeSecondsPerParameter,
                updateSecondsPerParameter, parameters, bandwidthBytesPerSecond, latencySeconds);
    }
}
