package io.sparkprop.optim;

import java.util.Locale;

/** Builds an optimizer from its param name: gd, momentum, adam or lamb. */
public final class Optimizers {
    private Optimizers() {
    }

    public static final String NAMES = "gd, momentum, adam, lamb";

    /** With Adam's usual beta1 0.9, beta2 0.999 and epsilon 1e-8, and no weight decay. */
    public static Optimizer create(String name, double momentum, boolean nesterov) {
        return create(name, momentum, nesterov, 0.9, 0.999, 1e-8, 0.0);
    }

    /**
     * @param regParam weight decay lambda; only rules that {@link Optimizer#decaysWeights() decay
     *                 the weights themselves} take it (LAMB); the trainer adds it to the others' gradient
     */
    public static Optimizer create(String name, double momentum, boolean nesterov, double adamBeta1,
                                   double adamBeta2, double adamEpsilon, double regParam) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "gd" -> new GradientDescent();
            case "momentum" -> new Momentum(momentum, nesterov);
            case "adam" -> new Adam(adamBeta1, adamBeta2, adamEpsilon);
            // LAMB's moments are Adam's, with the same betas and epsilon.
            case "lamb" -> new Lamb(adamBeta1, adamBeta2, adamEpsilon, regParam);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name
                    + "'; expected one of " + NAMES);
        };
    }
}
