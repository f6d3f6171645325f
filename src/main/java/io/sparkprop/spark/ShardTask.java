package io.sparkprop.spark;

import io.sparkprop.nn.GradientSum;
import io.sparkprop.train.Shard;
import io.sparkprop.train.ShardWorkspace;
import io.sparkprop.train.Step;
import java.io.Serializable;
import java.util.function.UnaryOperator;

/**
 * What a step does with one partition's rows: adds them, at these weights, into the
 * partition's partial sum. Shipped to the executors with every step, so it must serialize.
 */
@FunctionalInterface
public interface ShardTask extends Serializable {

    void run(double[] weights, int partition, Shard shard, ShardWorkspace ws, GradientSum into);

    /** A training step's work: the sums of dW, db and the loss over the rows of {@code step}. */
    static ShardTask gradient(Step step) {
        return new Gradient(step);
    }

    /** Loss, count and correct count over all of the partition's rows, with no gradient. */
    static ShardTask evaluate() {
        return Evaluation.INSTANCE;
    }

    /**
     * {@link #gradient}'s task. A record rather than a lambda so that a step order can name it by
     * its step's fields ({@link StepWire#taskCode}) instead of serializing it.
     */
    record Gradient(Step step) implements ShardTask {
        @Override
        public void run(double[] w, int partition, Shard shard, ShardWorkspace ws, GradientSum into) {
            shard.accumulate(w, step, partition, ws, into);
        }
    }

    /** {@link #evaluate}'s task, which a step order names by a byte. */
    final class Evaluation implements ShardTask {
        private static final long serialVersionUID = 1L;
        static final Evaluation INSTANCE = new Evaluation();

        private Evaluation() {
        }

        @Override
        public void run(double[] w, int partition, Shard shard, ShardWorkspace ws, GradientSum into) {
            shard.evaluate(w, ws, into);
        }

        private Object readResolve() {
            return INSTANCE;
        }
    }

    /**
     * Wraps every task a {@link SparkGradientSource} or {@link ResidentGradientSource} sends (to
     * measure it, trace it, or replace it); runs on the driver, and what it returns is what the
     * executors run. A decorator that reports through accumulators reports per step only with a
     * job a step: step tasks send their accumulators when they end.
     */
    @FunctionalInterface
    interface Decorator extends UnaryOperator<ShardTask> {
        Decorator NONE = task -> task;
    }
}
