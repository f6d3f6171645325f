package io.sparkprop.train;

import java.util.Map;

/**
 * A saved {@link TrainingState} with {@code configuration}: what the result depends on, as
 * text, so that a resume under other settings is refused and each difference named.
 */
public record Checkpoint(TrainingState state, Map<String, String> configuration) {

    public Checkpoint {
        configuration = Map.copyOf(configuration);
    }

    /** The last epoch this checkpoint's state has completed. */
    public int epoch() {
        return state.epoch();
    }

    /** The weights after {@link #epoch()}. */
    public double[] weights() {
        return state.weights();
    }
}
