package io.sparkprop.optim;

import java.util.Locale;

/** Builds an optimizer from its param name: gd, momentum or adam. */
public final class Optimizers {
    private Optimizers() {
    }

    public static final String NAMES = "gd, momentum, adam";

    public static Optimizer create(String name, double momentum, boolean nesterov) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "gd" -> new GradientDescent();
            case "momentum" -> new Momentum(momentum, nesterov);
            case "adam" -> new Adam();
            default -> throw new IllegalArgumentException("unknown optimizer '" + name
                    + "'; expected one of " + NAMES);
        };
    }
}
