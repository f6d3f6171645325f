package io.sparkprop.train;

import java.util.List;

/**
 * The weights training kept (the last epoch's, or with early stopping the best epoch's), and
 * the statistics of every epoch run.
 */
public record TrainingResult(double[] weights, List<EpochStats> history, int bestEpoch) {

    public TrainingResult {
        history = List.copyOf(history);
    }

    /** Train loss per epoch, in order. */
    public double[] lossHistory() {
        return history.stream().mapToDouble(EpochStats::trainLoss).toArray();
    }
}
