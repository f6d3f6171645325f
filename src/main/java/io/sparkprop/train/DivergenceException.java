package io.sparkprop.train;

/** Training met a non-finite loss or gradient; the weights of the step before are the last good ones. */
public final class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int step;

    public DivergenceException(int epoch, int step, int stepsPerEpoch, String what, double stepSize) {
        super("training diverged at epoch " + epoch + " step " + (step + 1) + "/" + stepsPerEpoch + ": " + what
                + " is not finite; try a smaller stepSize (now " + stepSize + ")");
        this.epoch = epoch;
        this.step = step;
    }

    public int epoch() {
        return epoch;
    }

    public int step() {
        return step;
    }
}
