package io.sparkprop.train;

import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import java.io.Serializable;

/**
 * The number validation reports each epoch and early stopping compares, computed from the
 * validation rows' sums. The Trainer knows nothing of what it means; the task it comes from
 * (classes or a regression, and how that regression's targets were scaled) does.
 */
public interface ValidationMetric extends Serializable {

    /** The metric over the rows summed in {@code s}. */
    double of(GradientSum s);

    /** Whether a larger value is better (accuracy) or worse (an error). */
    boolean higherIsBetter();

    /** Share (of the rows' weight) classified correctly. */
    static ValidationMetric accuracy() {
        return new Accuracy();
    }

    /**
     * RMSE per output value, in the labels' units, for a regression trained with the quadratic cost
     * (per sample, the sum of squared errors over the outputs, without 1/2) on targets divided by
     * {@code targets}' scales.
     */
    static ValidationMetric rmse(Topology topology, TargetEncoder targets) {
        if (topology.loss() != Loss.QUADRATIC) {
            throw new IllegalArgumentException("RMSE is derived from the quadratic cost; loss "
                    + topology.loss().paramName() + " has no RMSE");
        }
        return new Rmse(targets == null ? 1.0 : targets.rmseScale(), topology.outputWidth());
    }

    /** Accuracy for a classifier; RMSE in the labels' units for a regression on {@code targets} (null: unscaled). */
    static ValidationMetric of(Topology topology, TargetEncoder targets) {
        return topology.isClassifier() ? accuracy() : rmse(topology, targets);
    }

    /** See {@link #accuracy()}. */
    final class Accuracy implements ValidationMetric {
        private static final long serialVersionUID = 1L;

        @Override
        public double of(GradientSum s) {
            return s.correct() / s.weight();
        }

        @Override
        public boolean higherIsBetter() {
            return true;
        }
    }

    /** See {@link #rmse}: the scale brings an RMSE over scaled targets back to the labels' units. */
    final class Rmse implements ValidationMetric {
        private static final long serialVersionUID = 1L;
        private final double scale;
        private final int outputs;

        Rmse(double scale, int outputs) {
            this.scale = scale;
            this.outputs = outputs;
        }

        @Override
        public double of(GradientSum s) {
            return scale * Math.sqrt(s.meanLoss() / outputs);
        }

        @Override
        public boolean higherIsBetter() {
            return false;
        }
    }
}
