package io.sparkprop.train;

/** Told of progress by the {@link Trainer}, on the driver. Every method has a no-op default. */
public interface TrainingListener {

    /** Before the first step: the row count and the steps each epoch will take. */
    default void onStart(long rows, int stepsPerEpoch, int maxEpochs) {
    }

    /** Before each step runs; the Spark source names its jobs from this. */
    default void onStepStart(Step step, int maxEpochs) {
    }

    /** Before the validation rows are evaluated at the end of an epoch. */
    default void onValidationStart(int epoch, int maxEpochs) {
    }

    /** After each epoch, with the weights as they are after it (do not modify them). */
    default void onEpoch(EpochStats stats, double[] weights) {
    }

    /** This listener, then {@code next}, for every event. */
    default TrainingListener andThen(TrainingListener next) {
        TrainingListener first = this;
        return new TrainingListener() {
            @Override
            public void onStart(long rows, int stepsPerEpoch, int maxEpochs) {
                first.onStart(rows, stepsPerEpoch, maxEpochs);
                next.onStart(rows, stepsPerEpoch, maxEpochs);
            }

            @Override
            public void onStepStart(Step step, int maxEpochs) {
                first.onStepStart(step, maxEpochs);
                next.onStepStart(step, maxEpochs);
            }

            @Override
            public void onValidationStart(int epoch, int maxEpochs) {
                first.onValidationStart(epoch, maxEpochs);
                next.onValidationStart(epoch, maxEpochs);
            }

            @Override
            public void onEpoch(EpochStats stats, double[] weights) {
                first.onEpoch(stats, weights);
                next.onEpoch(stats, weights);
            }
        };
    }

    TrainingListener NONE = new TrainingListener() { };
}
