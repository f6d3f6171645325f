package io.sparkprop.train;

/**
 * What one epoch did. {@code trainLoss} is the mean loss over the epoch's steps, each taken at
 * the weights before its update (for full batch: the loss at the start of the iteration).
 * Metrics that do not apply are NaN: accuracy for a regression, validation when there is none.
 * {@code validationMetric} is accuracy for a classifier, RMSE for a regression.
 */
public record EpochStats(int epoch, int steps, long samples, double trainLoss, double trainAccuracy,
                         double validationLoss, double validationMetric, double seconds) {

    public boolean hasValidation() {
        return !Double.isNaN(validationLoss);
    }
}
