package io.sparkprop.optim;

import java.io.Serializable;
import java.util.Locale;

/**
 * alpha_t, the step size at a point in training, from the base stepSize:
 * <ul>
 *   <li>{@code constant}: alpha;
 *   <li>{@code step}: alpha * decayRate^floor(e / decayEpochs), e the epochs completed;
 *   <li>{@code cosine}: alpha * (1 + cos(pi * p)) / 2, p the fraction of maxEpochs completed;
 * </ul>
 * then, during the first {@code warmupEpochs}, a linear ramp from alpha_t / (warm-up steps) up to
 * alpha_t, step by step. Progress counts fractions of an epoch, so the schedule is smooth
 * within an epoch for cosine and warm-up.
 */
public record LearningRateSchedule(String kind, double decayRate, int decayEpochs, int warmupEpochs)
        implements Serializable {
    public static final String NAMES = "constant, step, cosine";

    public LearningRateSchedule {
        kind = kind.trim().toLowerCase(Locale.ROOT);
        if (!kind.equals("constant") && !kind.equals("step") && !kind.equals("cosine")) {
            throw new IllegalArgumentException("unknown schedule '" + kind + "'; expected one of " + NAMES);
        }
        if (!(decayRate > 0 && decayRate <= 1) || decayEpochs < 1 || warmupEpochs < 0) {
            throw new IllegalArgumentException("schedule needs 0 < decayRate <= 1, decayEpochs >= 1 and"
                    + " warmupEpochs >= 0, got " + decayRate + ", " + decayEpochs + ", " + warmupEpochs);
        }
    }

    public static final LearningRateSchedule CONSTANT = new LearningRateSchedule("constant", 0.1, 10, 0);

    /**
     * @param epoch          1-based epoch of the step
     * @param step           0-based step within the epoch
     * @param stepsPerEpoch  steps in an epoch
     * @param maxEpochs      epochs planned
     */
    public double stepSize(double base, int epoch, int step, int stepsPerEpoch, int maxEpochs) {
        double done = (epoch - 1) + (double) step / stepsPerEpoch; // epochs completed before this step
        double alpha = switch (kind) {
            case "step" -> base * Math.pow(decayRate, Math.floor((epoch - 1) / (double) decayEpochs));
            case "cosine" -> base * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, done / maxEpochs)));
            default -> base;
        };
        if (warmupEpochs > 0 && epoch <= warmupEpochs) {
            long warmupSteps = (long) warmupEpochs * stepsPerEpoch;
            long taken = (long) (epoch - 1) * stepsPerEpoch + step + 1;
            alpha *= (double) taken / warmupSteps;
        }
        return alpha;
    }
}
