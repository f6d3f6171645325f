package io.sparkprop.train;

import io.sparkprop.nn.Dropout;
import java.io.Serializable;

/**
 * Which step of training this is: step {@code index} (0-based) of {@code stepsPerEpoch} in
 * epoch {@code epoch} (1-based), under {@code seed}, and the dropout its rows train with. With
 * each row's identity it fixes exactly which rows take part, and which of their hidden units,
 * wherever they are, so a retried task returns the same sums.
 */
public record Step(long seed, int epoch, int index, int stepsPerEpoch, Dropout dropout) implements Serializable {

    public Step {
        if (stepsPerEpoch <= 0 || index < 0 || index >= stepsPerEpoch || epoch < 1) {
            throw new IllegalArgumentException("bad step " + index + " of " + stepsPerEpoch + " in epoch " + epoch);
        }
        java.util.Objects.requireNonNull(dropout);
    }

    /** A step without dropout. */
    public Step(long seed, int epoch, int index, int stepsPerEpoch) {
        this(seed, epoch, index, stepsPerEpoch, Dropout.NONE);
    }

    /** Whether every row takes part (full-batch gradient descent, or a batch of the whole data). */
    public boolean isFullPass() {
        return stepsPerEpoch == 1;
    }

    /** The key of this step's dropout masks. */
    public long dropoutKey() {
        return Dropout.stepKey(seed, epoch, index);
    }
}
