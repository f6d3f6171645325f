package io.sparkprop.train;

/** Told of progress by the {@link Trainer}, on the driver. Every method has a no-op default. */
public interface TrainingListener {

    /** Before the first step: the row count and the steps each epoch will take. */
    default void onStart(long rows, int stepsPerEpoch, int maxEpochs) {
    }

    /** Before each step runs; the Spark source names its jobs from this. */
    default void onStepStart(Step step, int maxEpochs) {
    }

    /** After each epoch, with the weights as they are after it (do not modify them). */
    default void onEpoch(EpochStats stats, double[] weights) {
    }

    TrainingListener NONE = new TrainingListener() { };
}
