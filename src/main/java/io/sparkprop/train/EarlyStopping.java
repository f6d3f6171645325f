package io.sparkprop.train;

/**
 * Stops training after {@code patience} epochs without a better validation metric, and keeps
 * the weights of the best epoch. Its progress is a value ({@link State}) so that a checkpoint
 * saves it with the rest of the {@link TrainingState} and a resumed run decides exactly as an
 * uninterrupted one would.
 */
public final class EarlyStopping {
    private final int patience;
    private final boolean higherIsBetter;

    /**
     * What early stopping has seen so far. {@code bestScore} is the metric turned so that higher
     * is better (negated for an error such as RMSE); {@code bestWeights} is null until an epoch
     * has been scored.
     */
    public record State(double[] bestWeights, int bestEpoch, double bestScore, int sinceBest) {
        /** Before any epoch was scored. */
        public static final State NONE = new State(null, 0, Double.NEGATIVE_INFINITY, 0);
    }

    /** {@code patience} 0 never stops and keeps no best weights. */
    public EarlyStopping(int patience, boolean higherIsBetter) {
        if (patience < 0) {
            throw new IllegalArgumentException("earlyStoppingPatience must be >= 0, got " + patience);
        }
        this.patience = patience;
        this.higherIsBetter = higherIsBetter;
    }

    public boolean isEnabled() {
        return patience > 0;
    }

    /** The state after {@code epoch} scored {@code metric} with {@code weights} (copied when they are the best). */
    public State after(State s, int epoch, double metric, double[] weights) {
        if (!isEnabled()) {
            return s;
        }
        double score = higherIsBetter ? metric : -metric;
        if (score > s.bestScore()) { // NaN never improves
            return new State(weights.clone(), epoch, score, 0);
        }
        return new State(s.bestWeights(), s.bestEpoch(), s.bestScore(), s.sinceBest() + 1);
    }

    public boolean shouldStop(State s) {
        return isEnabled() && s.sinceBest() >= patience;
    }
}
