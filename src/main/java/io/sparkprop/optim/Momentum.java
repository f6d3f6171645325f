package io.sparkprop.optim;

/**
 * Heavy-ball momentum: v = mu v + dW; W -= alpha v. With {@code nesterov}, the look-ahead form
 * W -= alpha (dW + mu v) (v updated first), as in Sutskever et al. and PyTorch's SGD.
 */
public final class Momentum implements Optimizer {
    private static final long serialVersionUID = 1L;

    private final double mu;
    private final boolean nesterov;
    private double[] velocity;

    public Momentum(double mu, boolean nesterov) {
        if (!(mu >= 0.0 && mu < 1.0)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + mu);
        }
        this.mu = mu;
        this.nesterov = nesterov;
    }

    @Override
    public void initialise(int parameterCount) {
        velocity = new double[parameterCount];
    }

    @Override
    public void stepInPlace(double[] weights, double[] gradient, double stepSize) {
        for (int i = 0; i < weights.length; i++) {
            double v = mu * velocity[i] + gradient[i];
            velocity[i] = v;
            weights[i] -= stepSize * (nesterov ? gradient[i] + mu * v : v);
        }
    }

    @Override
    public String name() {
        return "momentum";
    }

    @Override
    public double[][] state() {
        return new double[][] {velocity.clone()};
    }

    @Override
    public void restoreState(double[][] state) {
        if (state.length != 1 || state[0].length != velocity.length) {
            throw new IllegalArgumentException("momentum state must be one array of " + velocity.length);
        }
        velocity = state[0].clone();
    }
}
