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
     * As {@link #initialise(int)}, told where each layer's weight matrix lies in the flat
     * parameters ([start, end), biases outside), for the rules that treat layers apart (LAMB's
     * trust ratio); others ignore it.
     */
    default void initialise(int parameterCount, int[] weightStarts, int[] weightEnds) {
        initialise(parameterCount);
    }

    /**
     * Applies one update: weights are changed in place; the gradient array may be used as
     * scratch. {@code stepSize} is alpha for this step (after any schedule).
     */
    void stepInPlace(double[] weights, double[] gradient, double stepSize);

    /**
     * Whether the rule applies regParam's weight decay itself (LAMB, inside its trust ratio);
     * for the others the trainer adds lambda W to the gradient first.
     */
    default boolean decaysWeights() {
        return false;
    }

    /** The param value naming this rule: gd, momentum, adam or lamb. */
    String name();

    /** Copies of the state arrays, in a fixed order; the step counter, if any, is the last one's only element. */
    double[][] state();

    /** Restores what {@link #state()} returned. */
    void restoreState(double[][] state);
}
