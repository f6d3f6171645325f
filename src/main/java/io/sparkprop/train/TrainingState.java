package io.sparkprop.train;

import java.util.List;

/**
 * Everything a run needs to continue after {@code epoch} as if it had never stopped, and
 * exactly what a checkpoint saves: the weights, the optimizer's state arrays, the history so
 * far and early stopping's state. Which rows each later step uses follows from (seed, epoch,
 * step) and the rows themselves, so no generator state is needed beyond the epoch.
 * {@code epoch} 0 is the state before training.
 */
public record TrainingState(int epoch, double[] weights, double[][] optimizerState, List<EpochStats> history,
                            EarlyStopping.State earlyStopping) {

    public TrainingState {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        history = List.copyOf(history);
        if (earlyStopping == null) {
            throw new IllegalArgumentException("earlyStopping state must not be null");
        }
    }

    /** The state before the first epoch. */
    public static TrainingState start(double[] weights, double[][] optimizerState) {
        return new TrainingState(0, weights.clone(), optimizerState, List.of(), EarlyStopping.State.NONE);
    }
}
