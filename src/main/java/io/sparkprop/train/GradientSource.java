package io.sparkprop.train;

import io.sparkprop.nn.GradientSum;

/**
 * Where gradient sums come from: the rows of one JVM ({@link LocalGradientSource}, the
 * reference) or of a Spark cluster. The training loop is the same over both.
 */
public interface GradientSource extends AutoCloseable {

    /** N, the number of training rows. */
    long rowCount();

    /**
     * The sums of dW, db, loss, count and correct over the rows of this step, at these weights.
     * The sum is the caller's until its next call on this source, which may reuse its arrays (step
     * tasks do: a step then allocates nothing the size of the network on the driver).
     */
    GradientSum gradient(double[] weights, Step step);

    /** Loss, count and correct count over all rows at these weights, with no gradient. */
    GradientSum evaluate(double[] weights);

    /** Releases cached data; idempotent. */
    @Override
    void close();
}
