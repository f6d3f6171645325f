package io.sparkprop.train;

import java.io.Serializable;

/**
 * Which step of training this is: step {@code index} (0-based) of {@code stepsPerEpoch} in
 * epoch {@code epoch} (1-based), under {@code seed}. With each row's identity it fixes exactly
 * which rows take part, wherever they are, so a retried task returns the same sums.
 */
public record Step(long seed, int epoch, int index, int stepsPerEpoch) implements Serializable {

    public Step {
        if (stepsPerEpoch <= 0 || index < 0 || index >= stepsPerEpoch || epoch < 1) {
            throw new IllegalArgumentException("bad step " + index + " of " + stepsPerEpoch + " in epoch " + epoch);
        }
    }

    /** Whether every row takes part (full-batch gradient descent, or a batch of the whole data). */
    public boolean isFullPass() {
        return stepsPerEpoch == 1;
    }
}
