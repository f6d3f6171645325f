package io.sparkprop.optim;

import java.io.Serializable;

/**
 * An update rule applied on the driver to the flat weights, given the mean gradient
 * dW = S_W / m (already divided once by the global m).
 *
 * <p>Lifecycle: {@link #initialise(int)} once with the parameter count, then one
 * {@link #stepInPlace} per training step. State lives in plain arrays so that a checkpoint
 * can save it ({@link #state()}) and a resumed run restore it ({@link #restoreState}).
 */
public interface Optimizer extends Serializable {

    /** Sizes the state for {@code parameterCount} parameters and zeroes it. */
    void initialise(int parameterCount);

    /**
     * As {@link #initialise(int)}, told where each tensor (a layer's W, its b) starts in the flat
     * parameters, for the rules that treat tensors apart (LAMB's trust ratio); others ignore it.
     */
    default void initialise(int parameterCount, int[] tensorStarts) {
        initialise(parameterCount);
    }

    /**
     * Applies one update: weights are changed in place; the gradient array may be used as
     * scratch. {@code stepSize} is alpha for this step (after any schedule).
     */
    void stepInPlace(double[] weights, double[] gradient, double stepSize);

    /** The param value naming this rule: gd, momentum, adam or lamb. */
    String name();

    /** Copies of the state arrays, in a fixed order; the step counter, if any, is the last one's only element. */
    double[][] state();

    /** Restores what {@link #state()} returned. */
    void restoreState(double[][] state);
}
