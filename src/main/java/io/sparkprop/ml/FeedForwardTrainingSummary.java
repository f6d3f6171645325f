package io.sparkprop.ml;

import io.sparkprop.train.EpochStats;
import java.io.Serializable;
import java.util.List;

/**
 * The training history of a fitted model: per epoch the training loss, and with validation
 * rows the validation loss and metric (accuracy for a classifier, RMSE for a regressor).
 */
public final class FeedForwardTrainingSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<EpochStats> epochs;
    private final int bestEpoch;

    FeedForwardTrainingSummary(List<EpochStats> epochs, int bestEpoch) {
        this.epochs = List.copyOf(epochs);
        this.bestEpoch = bestEpoch;
    }

    public List<EpochStats> epochs() {
        return epochs;
    }

    public int totalEpochs() {
        return epochs.size();
    }

    /** The epoch whose weights the model holds (the last, unless early stopping kept an earlier one). */
    public int bestEpoch() {
        return bestEpoch;
    }

    public double[] lossHistory() {
        return epochs.stream().mapToDouble(EpochStats::trainLoss).toArray();
    }

    public double[] validationLossHistory() {
        return epochs.stream().mapToDouble(EpochStats::validationLoss).toArray();
    }

    public double[] validationMetricHistory() {
        return epochs.stream().mapToDouble(EpochStats::validationMetric).toArray();
    }
}
