package io.sparkprop.ml;

import java.io.Serializable;

/**
 * The part of a fitted model that is not Spark's: the trained network of its {@link Task} and the
 * summary of the fit that made it (kept on the driver only; a loaded model has none).
 */
public final class ModelCore implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Task task;
    private final TrainedNetwork network;
    private transient FeedForwardTrainingSummary summary;

    ModelCore(Task task, TrainedNetwork network) {
        task.checkTargets(network.targets);
        this.task = task;
        this.network = network;
    }

    public Task task() {
        return task;
    }

    /** K for a classifier, 0 for a regression. */
    public int classCount() {
        return network.targets.classCount();
    }

    TrainedNetwork network() {
        return network;
    }

    FeedForwardTrainingSummary summary() {
        return summary;
    }

    void setSummary(FeedForwardTrainingSummary s) {
        this.summary = s;
    }

    /** A core for a copy of the model: the same network and summary. */
    ModelCore copy() {
        ModelCore c = new ModelCore(task, network);
        c.summary = summary;
        return c;
    }

    String describe(String className, String uid) {
        return className + ": uid=" + uid + ", " + network.topology;
    }
}
