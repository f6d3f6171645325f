package io.sparkprop.bench;

/**
 * What a scaling model of a training step answers, from its compute and overhead alone: the step
 * time on P executors at a global batch B, the efficiency against P times one executor, the batch
 * that reaches a target efficiency, and the first P where the driver's own work outlasts an
 * executor's compute. {@link ScalingModel} models a job a step, {@link StepTaskModel} step tasks.
 */
interface StepCostModel {

    /** c: one core's compute seconds a row. */
    double computeSecondsPerRow();

    /** The parameters of the network modelled (its bytes on the wire follow from them). */
    long parameters();

    /** Everything but the compute: what a step on P executors costs whatever the batch. */
    double overheadSeconds(int p);

    /** The driver's own seconds a step on P executors: work no executor can take from it. */
    double driverSeconds(int p);

    /** The same model for another network of {@code parameters}, whose rows cost {@code flopsRatio} times the flops. */
    StepCostModel forNetwork(long parameters, double flopsRatio);

    default double computeSeconds(int p, double batch) {
        return computeSecondsPerRow() * batch / p;
    }

    default double stepSeconds(int p, double batch) {
        return computeSeconds(p, batch) + overheadSeconds(p);
    }

    /** E = T(1, B) / (P T(P, B)). */
    default double efficiency(int p, double batch) {
        return stepSeconds(1, batch) / (p * stepSeconds(p, batch));
    }

    /** The smallest global batch (rows a step) at which P executors reach {@code target} efficiency. */
    default double batchForEfficiency(int p, double target) {
        if (p == 1) {
            return 1;
        }
        // E(B) = (c B + o1) / (c B + p op) rises with B towards 1, so the target is met from
        // c B + o1 = target (c B + p op), that is B = (target p op - o1) / (c (1 - target)).
        double o1 = overheadSeconds(1);
        double op = overheadSeconds(p);
        double b = (target * p * op - o1) / (computeSecondsPerRow() * (1 - target));
        return Math.max(1, b);
    }

    /** The first P (a power of two up to 4096) where the driver's work exceeds an executor's compute, or -1. */
    default int driverBoundFrom(double batch) {
        for (int p = 1; p <= 4096; p *= 2) {
            if (driverSeconds(p) > computeSeconds(p, batch)) {
                return p;
            }
        }
        return -1;
    }

    /**
     * Least squares of y = a + b x over the points: the per-step and per-executor costs both
     * models fit to the overheads measured with 1, 2 and 4 executors. Returns {a, b}.
     */
    static double[] fitLine(int[] x, double[] y) {
        if (x.length < 2 || x.length != y.length) {
            throw new IllegalArgumentException("need the overheads of at least two executor counts");
        }
        int n = x.length;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sx += x[i];
            sy += y[i];
            sxx += (double) x[i] * x[i];
            sxy += x[i] * y[i];
        }
        double denominator = n * sxx - sx * sx;
        if (denominator == 0) {
            throw new IllegalArgumentException("need at least two different executor counts");
        }
        double b = (n * sxy - sx * sy) / denominator;
        return new double[] {(sy - b * sx) / n, b};
    }
}
