package io.sparkprop.bench;

import io.sparkprop.nn.GradientSum;
import io.sparkprop.spark.ShardTask;
import io.sparkprop.train.Shard;
import io.sparkprop.train.ShardWorkspace;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;

/**
 * Times the forward/backward work of every task a source sends, through a Spark accumulator:
 * after a step, {@link #slowestNanos()} is the longest task's time (the step's critical path),
 * so the rest of the step's wall time is what Spark costs around it.
 */
final class ComputeTimer implements ShardTask.Decorator {
    private final CollectionAccumulator<Long> nanos;

    ComputeTimer(SparkContext sc) {
        this.nanos = sc.collectionAccumulator("sparkprop benchmark: task compute nanos");
    }

    @Override
    public ShardTask apply(ShardTask task) {
        return new Timed(task, nanos);
    }

    /** Forgets the times recorded so far; call before each step. */
    void reset() {
        nanos.reset();
    }

    /** The longest task time since {@link #reset()}; 0 when no task ran. */
    long slowestNanos() {
        List<Long> all = nanos.value();
        long max = 0;
        for (long n : all) {
            max = Math.max(max, n);
        }
        return max;
    }

    /**
     * The median of every time recorded since {@link #reset()}, in milliseconds, or NaN when none
     * was: step tasks report theirs only when they end, one per partition and step.
     */
    double medianMillis() {
        List<Double> millis = new java.util.ArrayList<>();
        for (long n : nanos.value()) {
            millis.add(n / 1e6);
        }
        return millis.isEmpty() ? Double.NaN : Benchmark.median(millis);
    }

    private static final class Timed implements ShardTask {
        private static final long serialVersionUID = 1L;
        private final ShardTask inner;
        private final CollectionAccumulator<Long> nanos;

        Timed(ShardTask inner, CollectionAccumulator<Long> nanos) {
            this.inner = inner;
            this.nanos = nanos;
        }

        @Override
        public void run(double[] weights, int partition, Shard shard, ShardWorkspace ws, GradientSum into) {
            long start = System.nanoTime();
            inner.run(weights, partition, shard, ws, into);
            nanos.add(System.nanoTime() - start);
        }
    }
}
