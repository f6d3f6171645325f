package io.sparkprop.optim;

import dev.ludovic.netlib.blas.BLAS;

/** The seeds' rule: W -= alpha dW, b -= alpha db. Stateless. */
public final class GradientDescent implements Optimizer {
    private static final long serialVersionUID = 1L;

    @Override
    public void initialise(int parameterCount) {
        // no state
    }

    @Override
    public void stepInPlace(double[] weights, double[] gradient, double stepSize) {
        BLAS.getInstance().daxpy(weights.length, -stepSize, gradient, 1, weights, 1);
    }

    @Override
    public String name() {
        return "gd";
    }

    @Override
    public double[][] state() {
        return new double[0][];
    }

    @Override
    public void restoreState(double[][] state) {
        if (state.length != 0) {
            throw new IllegalArgumentException("gd has no state, got " + state.length + " arrays");
        }
    }
}
