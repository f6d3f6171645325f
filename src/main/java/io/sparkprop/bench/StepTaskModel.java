package io.sparkprop.bench;

/**
 * A step's time on P executors when steps run on step tasks ({@code stepMode=resident}): a task
 * per executor, connected to the driver, no Spark job per step. Every task's weights leave the
 * driver and every partition's sums come back to it, with no tree between:
 *
 * <pre>
 *   T(P, B) = c B / P                      compute: c seconds a row on one core
 *           + a                            per step: the order's task, wake-ups on both sides
 *           + b P                          per task, on the driver: writing its order, reading and
 *                                          unpacking its sums (fitted here; it grows with the bytes, so
 *                                          b scales with the parameters for another network)
 *           + P w n / bw                   the weights out and the sums back, all through the driver's
 *                                          link: w = 16 bytes a parameter in float64, 8 in float32 (floats
 *                                          out, and back when the sums are floats exactly, StepWire)
 *           + (P - 1) n m + n u            merging (m a parameter) and the optimizer (u a parameter)
 *           + 2 latency                    one round trip
 * </pre>
 *
 * The driver's own work is all but the compute, so it binds from the first P where that work
 * outlasts c B / P; only a tree among the tasks would take the P sums off its link.
 */
record StepTaskModel(double perStepSeconds, double perTaskSeconds, double computeSecondsPerRow,
                     double mergeSecondsPerParameter, double updateSecondsPerParameter, long parameters,
                     int wireBytesPerParameter, double bandwidthBytesPerSecond, double latencySeconds)
        implements StepCostModel {

    /** Bytes through the driver's link a step, per task: its weights out and its sums back. */
    double bytesPerTask() {
        return (double) wireBytesPerParameter * parameters;
    }

    @Override
    public double overheadSeconds(int p) {
        return driverSeconds(p) + 2 * latencySeconds;
    }

    @Override
    public double driverSeconds(int p) {
        return perStepSeconds + perTaskSeconds * p + p * bytesPerTask() / bandwidthBytesPerSecond
                + (p - 1) * parameters * mergeSecondsPerParameter + parameters * updateSecondsPerParameter;
    }

    /**
     * The step as one machine runs it when its P executor JVMs share cores that give
     * {@code throughput} times one core's work: only the compute queues for them (the driver's
     * part is serial anyway). How the model is checked against local-cluster runs.
     */
    double stepSecondsSharing(int p, double batch, double throughput) {
        return computeSecondsPerRow * batch / Math.min(p, throughput) + overheadSeconds(p);
    }

    /**
     * The same model for another network: the compute scales with the flops; the bytes, and the
     * driver's per-task cost b (which handles those bytes), with the parameters.
     */
    @Override
    public StepTaskModel forNetwork(long otherParameters, double flopsRatio) {
        return new StepTaskModel(perStepSeconds, perTaskSeconds * otherParameters / parameters,
                computeSecondsPerRow * flopsRatio, mergeSecondsPerParameter, updateSecondsPerParameter,
                otherParameters, wireBytesPerParameter, bandwidthBytesPerSecond, latencySeconds);
    }

    StepTaskModel onNetwork(double bandwidthBytesPerSecond, double latencySeconds) {
        return new StepTaskModel(perStepSeconds, perTaskSeconds, computeSecondsPerRow, mergeSecondsPerParameter,
                updateSecondsPerParameter, parameters, wireBytesPerParameter, bandwidthBytesPerSecond,
                latencySeconds);
    }

    /**
     * Least squares of a + b P against the overhead measured at each P (a step's wall time less its
     * compute), after the merge and the update, measured apart, are taken out; on this machine's
     * loopback the bytes' time is inside b.
     */
    static StepTaskModel fit(int[] executors, double[] overheadSecs, double computeSecondsPerRow,
                             double mergeSecondsPerParameter, double updateSecondsPerParameter, long parameters,
                             int wireBytesPerParameter) {
        if (executors.length != overheadSecs.length) {
            throw new IllegalArgumentException("need an overhead for each executor count");
        }
        StepTaskModel bare = new StepTaskModel(0, 0, computeSecondsPerRow, mergeSecondsPerParameter,
                updateSecondsPerParameter, parameters, wireBytesPerParameter, Double.POSITIVE_INFINITY, 0);
        double[] rest = new double[executors.length];
        for (int i = 0; i < executors.length; i++) {
            rest[i] = overheadSecs[i] - bare.overheadSeconds(executors[i]);
        }
        double[] line = StepCostModel.fitLine(executors, rest);
        return new StepTaskModel(line[0], line[1], computeSecondsPerRow, mergeSecondsPerParameter,
                updateSecondsPerParameter, parameters, wireBytesPerParameter, Double.POSITIVE_INFINITY, 0);
    }
}
