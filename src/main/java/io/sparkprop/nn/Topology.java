package io.sparkprop.nn;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The shape of a network: widths n_0 (inputs) .. n_L (outputs), the hidden activation, the
 * output unit and the loss on it. Immutable and checked on construction.
 *
 * <p>It also fixes the flat parameter layout of DESIGN.md section 2 (Spark MLP's): for each
 * layer l = 1..L, W_l column-major (n_l x n_{l-1}), then b_l (n_l).
 */
public final class Topology implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] widths;
    private final Activation hidden;
    private final Activation output;
    private final Loss loss;
    private final int[] weightOffsets; // index l-1: where W_l starts
    private final int parameterCount;

    public Topology(int[] widths, Activation hidden, Activation output, Loss loss) {
        if (widths == null || widths.length < 2) {
            throw new IllegalArgumentException("a network needs at least an input and an output layer, got widths "
                    + Arrays.toString(widths));
        }
        for (int l = 0; l < widths.length; l++) {
            if (widths[l] <= 0) {
                throw new IllegalArgumentException("layer " + l + " has width " + widths[l]
                        + " in " + Arrays.toString(widths) + "; every layer needs at least one unit");
            }
        }
        if (hidden == null || !hidden.isHidden()) {
            throw new IllegalArgumentException("hidden activation must be sigmoid, relu or tanh, got " + hidden);
        }
        if (loss == null || output == null || !loss.fits(output)) {
            throw new IllegalArgumentException("loss " + (loss == null ? null : loss.paramName())
                    + " does not fit output unit " + (output == null ? null : output.paramName())
                    + "; use crossEntropy with softmax, binaryCrossEntropy with sigmoid,"
                    + " quadratic with sigmoid or identity");
        }
        if (output == Activation.SOFTMAX && widths[widths.length - 1] < 2) {
            throw new IllegalArgumentException("a softmax output needs at least 2 units, got "
                    + widths[widths.length - 1]);
        }
        this.widths = widths.clone();
        this.hidden = hidden;
        this.output = output;
        this.loss = loss;
        this.weightOffsets = new int[widths.length - 1];
        long offset = 0;
        for (int l = 1; l < widths.length; l++) {
            weightOffsets[l - 1] = (int) offset;
            offset += (long) widths[l] * widths[l - 1] + widths[l];
        }
        if (offset > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("network " + Arrays.toString(widths) + " has " + offset
                    + " parameters, more than one array can hold");
        }
        this.parameterCount = (int) offset;
    }

    /** The output unit that goes with a loss when the caller does not choose: softmax for CE, sigmoid for BCE. */
    public static Activation defaultOutputFor(Loss loss) {
        return switch (loss) {
            case CROSS_ENTROPY -> Activation.SOFTMAX;
            case BINARY_CROSS_ENTROPY -> Activation.SIGMOID;
            case QUADRATIC -> Activation.IDENTITY;
        };
    }

    /** L: the number of weight layers (widths().length - 1). */
    public int layerCount() {
        return widths.length - 1;
    }

    /** n_l for l = 0 (inputs) .. L (outputs). */
    public int width(int l) {
        return widths[l];
    }

    public int inputWidth() {
        return widths[0];
    }

    public int outputWidth() {
        return widths[widths.length - 1];
    }

    public int[] widths() {
        return widths.clone();
    }

    public Activation hiddenActivation() {
        return hidden;
    }

    public Activation outputActivation() {
        return output;
    }

    /** g_l for l = 1..L. */
    public Activation activation(int l) {
        return l == layerCount() ? output : hidden;
    }

    public Loss loss() {
        return loss;
    }

    public int parameterCount() {
        return parameterCount;
    }

    /** Offset of W_l (l = 1..L) in the flat parameters. */
    public int weightOffset(int l) {
        return weightOffsets[l - 1];
    }

    /** Where W_1, W_2, ... start in the flat parameters. */
    public int[] weightStarts() {
        int[] starts = new int[layerCount()];
        for (int l = 1; l <= layerCount(); l++) {
            starts[l - 1] = weightOffset(l);
        }
        return starts;
    }

    /** Where W_1, W_2, ... end (exclusive): where b_1, b_2, ... start. */
    public int[] weightEnds() {
        int[] ends = new int[layerCount()];
        for (int l = 1; l <= layerCount(); l++) {
            ends[l - 1] = biasOffset(l);
        }
        return ends;
    }

    /** Offset of b_l (l = 1..L) in the flat parameters. */
    public int biasOffset(int l) {
        return weightOffsets[l - 1] + widths[l] * widths[l - 1];
    }

    /** Whether outputs are class scores (so "correct" is meaningful), as opposed to a regression. */
    public boolean isClassifier() {
        return output != Activation.IDENTITY;
    }

    /**
     * How many of the cols columns of A (outputs) match those of Y (targets): the
     * arg max for several outputs of softmax or quadratic-on-sigmoid (one-hot targets), a 0.5
     * threshold on every unit for sigmoid + binary cross-entropy; 0 for a regression.
     */
    public int countCorrect(double[] a, int aOff, double[] y, int yOff, int cols) {
        if (!isClassifier()) {
            return 0;
        }
        int n = outputWidth();
        int correct = 0;
        boolean argMax = n > 1 && loss != Loss.BINARY_CROSS_ENTROPY;
        for (int c = 0; c < cols; c++) {
            int aBase = aOff + c * n;
            int yBase = yOff + c * n;
            if (argMax) {
                if (ArgMax.of(a, aBase, n) == ArgMax.of(y, yBase, n)) {
                    correct++;
                }
            } else {
                boolean all = true;
                for (int j = 0; j < n && all; j++) {
                    all = (a[aBase + j] >= 0.5) == (y[yBase + j] >= 0.5);
                }
                if (all) {
                    correct++;
                }
            }
        }
        return correct;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Topology t && Arrays.equals(widths, t.widths) && hidden == t.hidden
                && output == t.output && loss == t.loss;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(widths) * 31 + hidden.hashCode() * 7 + output.hashCode() * 3 + loss.hashCode();
    }

    @Override
    public String toString() {
        return Arrays.toString(widths) + " " + hidden.paramName() + " -> " + output.paramName()
                + " + " + loss.paramName();
    }
}
