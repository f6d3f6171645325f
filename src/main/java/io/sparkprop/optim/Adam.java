package io.sparkprop.optim;

import io.sparkprop.nn.Slices;

/**
 * Adam (Kingma and Ba, 2015), bias-corrected: at step t = 1, 2, ...
 * m = b1 m + (1-b1) dW; v = b2 v + (1-b2) dW^2;
 * W -= alpha (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
 */
public final class Adam implements Optimizer {
    private static final long serialVersionUID = 1L;

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private double[] m;
    private double[] v;
    private long t;

    public Adam(double beta1, double beta2, double epsilon) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("adam needs 0 <= beta1, beta2 < 1 and epsilon > 0, got "
                    + beta1 + ", " + beta2 + ", " + epsilon);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    public Adam() {
        this(0.9, 0.999, 1e-8);
    }

    @Override
    public void initialise(int parameterCount) {
        m = new double[parameterCount];
        v = new double[parameterCount];
        t = 0;
    }

    /**
     * One pass over the arrays, in {@link Slices} on the driver's cores: the driver updates while
     * every task waits, every step.
     */
    @Override
    public void stepInPlace(double[] weights, double[] gradient, double stepSize) {
        t++;
        double r1 = 1.0 / (1.0 - Math.pow(beta1, t));
        double r2 = 1.0 / Math.sqrt(1.0 - Math.pow(beta2, t));
        Slices.run(weights.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                weights[i] -= stepSize * advance(i, gradient[i], r1, r2);
            }
        });
    }

    /**
     * Advances the moments by one step with {@code gradient} and writes the bias-corrected
     * direction into {@code into} (which may be the gradient array itself); LAMB rescales it per
     * tensor.
     */
    void direction(double[] gradient, double[] into) {
        t++;
        double r1 = 1.0 / (1.0 - Math.pow(beta1, t));
        double r2 = 1.0 / Math.sqrt(1.0 - Math.pow(beta2, t));
        Slices.run(gradient.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                into[i] = advance(i, gradient[i], r1, r2);
            }
        });
    }

    /**
     * Moves m_i and v_i on by g and returns the bias-corrected direction m_i r1 / (sqrt(v_i) r2 +
     * eps), with r1 = 1 / (1 - b1^t) and r2 = 1 / sqrt(1 - b2^t): (m_i / c1) / (sqrt(v_i / c2) +
     * eps) with one division and one square root a parameter, where that form takes three
     * divisions. Both bound the pass the driver makes every step while the tasks wait; as PyTorch
     * does, the corrections are scalars taken once a step.
     */
    private double advance(int i, double g, double r1, double r2) {
        double mi = beta1 * m[i] + (1.0 - beta1) * g;
        double vi = beta2 * v[i] + (1.0 - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        return mi * r1 / (Math.sqrt(vi) * r2 + epsilon);
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public double[][] state() {
        return new double[][] {m.clone(), v.clone(), {t}};
    }

    @Override
    public void restoreState(double[][] state) {
        if (state.length != 3 || state[0].length != m.length || state[1].length != v.length
                || state[2].length != 1) {
            throw new IllegalArgumentException("adam state must be m, v and the step count");
        }
        m = state[0].clone();
        v = state[1].clone();
        t = (long) state[2][0];
    }
}
