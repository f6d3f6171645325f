package io.sparkprop.optim;

/**
 * LAMB (You et al., 2019, "Large Batch Optimization for Deep Learning"): Adam's bias-corrected
 * direction, rescaled per layer by a trust ratio so that each layer's weights move by a share of
 * their own size however large the batch (and so the step size) grows. At step t:
 *
 * <pre>
 *   m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
 *   r = (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 *   u_l = r_l + lambda W_l                   for each layer's weights: the decoupled weight decay
 *   W_l -= alpha (||W_l|| / ||u_l||) u_l     (ratio 1 where a norm is 0)
 *   b_l -= alpha r_l                         biases: Adam's step, no decay
 * </pre>
 *
 * Biases are left out of the layer adaptation and the decay, as in BERT's use of LAMB: they
 * start at zero, and a step scaled by their own norm would keep them there. The decay is the
 * paper's, inside the trust ratio (lambda is regParam): added to the gradient before Adam's
 * normalisation, as the trainer does for the other rules, it would be scaled away.
 */
public final class Lamb implements Optimizer {
    private static final long serialVersionUID = 1L;

    private final Adam moments;
    private final double weightDecay;
    private int[] adaptedStarts;
    private int[] adaptedEnds;
    private double[] direction;

    public Lamb(double beta1, double beta2, double epsilon, double weightDecay) {
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("lamb's weight decay must be >= 0, got " + weightDecay);
        }
        this.moments = new Adam(beta1, beta2, epsilon);
        this.weightDecay = weightDecay;
    }

    @Override
    public boolean decaysWeights() {
        return true;
    }

    /** All parameters as one adapted tensor. */
    @Override
    public void initialise(int parameterCount) {
        initialise(parameterCount, new int[] {0}, new int[] {parameterCount});
    }

    @Override
    public void initialise(int parameterCount, int[] weightStarts, int[] weightEnds) {
        if (weightStarts.length != weightEnds.length) {
            throw new IllegalArgumentException("one end for each start of a layer's weights");
        }
        for (int k = 0; k < weightStarts.length; k++) {
            if (weightStarts[k] < (k == 0 ? 0 : weightEnds[k - 1]) || weightEnds[k] <= weightStarts[k]
                    || weightEnds[k] > parameterCount) {
                throw new IllegalArgumentException("layers' weight ranges must be non-empty, in order, apart, and"
                        + " within " + parameterCount + " parameters");
            }
        }
        moments.initialise(parameterCount);
        this.adaptedStarts = weightStarts.clone();
        this.adaptedEnds = weightEnds.clone();
        this.direction = new double[parameterCount];
    }

    @Override
    public void stepInPlace(double[] weights, double[] gradient, double stepSize) {
        moments.direction(gradient, direction);
        int next = 0; // the first parameter not yet updated
        for (int k = 0; k < adaptedStarts.length; k++) {
            int from = adaptedStarts[k];
            int to = adaptedEnds[k];
            step(weights, next, from, stepSize);
            if (weightDecay > 0) {
                for (int i = from; i < to; i++) {
                    direction[i] += weightDecay * weights[i];
                }
            }
            double weightNorm = norm(weights, from, to);
            double directionNorm = norm(direction, from, to);
            double trust = weightNorm > 0 && directionNorm > 0 ? weightNorm / directionNorm : 1.0;
            step(weights, from, to, stepSize * trust);
            next = to;
        }
        step(weights, next, weights.length, stepSize);
    }

    private void step(double[] weights, int from, int to, double scale) {
        for (int i = from; i < to; i++) {
            weights[i] -= scale * direction[i];
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
