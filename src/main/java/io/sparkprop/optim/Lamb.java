package io.sparkprop.optim;

/**
 * LAMB (You et al., 2019, "Large Batch Optimization for Deep Learning"): Adam's bias-corrected
 * direction, rescaled per tensor by a trust ratio so that each layer moves by a share of its own
 * size however large the batch (and so the step size) grows. At step t, for each tensor x (a
 * layer's W or its b):
 *
 * <pre>
 *   m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
 *   r = (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 *   x -= alpha (||x|| / ||r||) r          (ratio 1 where ||x|| or ||r|| is 0: a zero bias starts as Adam)
 * </pre>
 *
 * Weight decay is not added here: regParam already adds lambda W to the gradient, as for every rule.
 */
public final class Lamb implements Optimizer {
    private static final long serialVersionUID = 1L;

    private final Adam moments;
    private int[] tensorStarts;
    private double[] direction;

    public Lamb(double beta1, double beta2, double epsilon) {
        this.moments = new Adam(beta1, beta2, epsilon);
    }

    @Override
    public void initialise(int parameterCount) {
        initialise(parameterCount, new int[] {0});
    }

    @Override
    public void initialise(int parameterCount, int[] tensorStarts) {
        if (tensorStarts.length == 0 || tensorStarts[0] != 0) {
            throw new IllegalArgumentException("tensor starts must begin at 0");
        }
        for (int i = 1; i < tensorStarts.length; i++) {
            if (tensorStarts[i] <= tensorStarts[i - 1] || tensorStarts[i] >= parameterCount) {
                throw new IllegalArgumentException("tensor starts must rise strictly below " + parameterCount);
            }
        }
        moments.initialise(parameterCount);
        this.tensorStarts = tensorStarts.clone();
        this.direction = new double[parameterCount];
    }

    @Override
    public void stepInPlace(double[] weights, double[] gradient, double stepSize) {
        moments.direction(gradient, direction);
        for (int k = 0; k < tensorStarts.length; k++) {
            int from = tensorStarts[k];
            int to = k + 1 < tensorStarts.length ? tensorStarts[k + 1] : weights.length;
            double weightNorm = norm(weights, from, to);
            double directionNorm = norm(direction, from, to);
            double trust = weightNorm > 0 && directionNorm > 0 ? weightNorm / directionNorm : 1.0;
            double scale = stepSize * trust;
            for (int i = from; i < to; i++) {
                weights[i] -= scale * direction[i];
            }
        }
    }

    private static double norm(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i] * v[i];
        }
        return Math.sqrt(s);
    }

    @Override
    public String name() {
        return "lamb";
    }

    @Override
    public double[][] state() {
        return moments.state();
    }

    @Override
    public void restoreState(double[][] state) {
        moments.restoreState(state);
    }
}
