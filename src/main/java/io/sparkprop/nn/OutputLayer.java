package io.sparkprop.nn;

/**
 * What both precisions do at the output layer, in double: the loss and correct answers of a
 * chunk added into the sums, weighted by each row's w_i when the rows carry weights, and dZ_L's
 * columns scaled by the same w_i, so that every gradient sum above is weighted too.
 */
final class OutputLayer {
    private OutputLayer() {
    }

    /** Loss sum, row count, weight and correct answers of {@code cols} samples (Z_L, A_L from 0; Y at yOff). */
    static void addStatistics(Topology t, double[] z, double[] a, double[] y, int yOff, int cols, RowInfo rows,
                              GradientSum into) {
        int nL = t.outputWidth();
        Loss loss = t.loss();
        if (!rows.weighted()) {
            into.addStatistics(loss.sum(z, a, 0, y, yOff, nL, cols), cols, t.countCorrect(a, 0, y, yOff, cols));
            return;
        }
        double lossSum = 0;
        double weight = 0;
        double correct = 0;
        for (int c = 0; c < cols; c++) {
            double wc = rows.weight(c);
            lossSum += wc * loss.sum(z, a, c * nL, y, yOff + c * nL, nL, 1);
            correct += wc * t.countCorrect(a, c * nL, y, yOff + c * nL, 1);
            weight += wc;
        }
        into.addWeightedStatistics(lossSum, cols, weight, correct);
    }

    /** dZ_L (n_L x cols, from 0) column c times w_c: the weighted loss's delta. */
    static void weighDelta(double[] dz, int nL, int cols, RowInfo rows) {
        if (!rows.weighted()) {
            return;
        }
        for (int c = 0; c < cols; c++) {
            double wc = rows.weight(c);
            for (int j = c * nL, end = j + nL; j < end; j++) {
                dz[j] *= wc;
            }
        }
    }
}
