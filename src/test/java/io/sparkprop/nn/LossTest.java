package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LossTest {

    @Test
    void aConfidentWrongAnswerCostsALargeFiniteAmount() {
        double[] z = {800, -800};
        double[] a = z.clone();
        Activation.SOFTMAX.forwardInPlace(a, 0, 2, 1);
        double ce = Loss.CROSS_ENTROPY.sum(z, a, 0, new double[] {0, 1}, 0, 2, 1);
        assertEquals(1600, ce, 1e-9);

        double[] z1 = {-900};
        double[] a1 = z1.clone();
        Activation.SIGMOID.forwardInPlace(a1, 0, 1, 1);
        double bce = Loss.BINARY_CROSS_ENTROPY.sum(z1, a1, 0, new double[] {1}, 0, 1, 1);
        assertEquals(900, bce, 1e-9);
    }

    @Test
    void quadraticHasNoHalfAsInSeed003() {
        double[] a = {0.5, 2.0};
        double[] y = {0.0, 1.0};
        assertEquals(0.25 + 1.0, Loss.QUADRATIC.sum(a, a, 0, y, 0, 2, 1), 1e-15);
        double[] dz = new double[2];
        Loss.QUADRATIC.deltaInPlace(Activation.IDENTITY, a, 0, y, 0, dz, 0, 2);
        assertEquals(1.0, dz[0]);
        assertEquals(2.0, dz[1]);
    }

    @Test
    void softmaxOfHugeScoresIsFinite() {
        double[] z = {1e308, 1e308, -1e308};
        Activation.SOFTMAX.forwardInPlace(z, 0, 3, 1);
        assertEquals(0.5, z[0], 1e-15);
        assertTrue(z[2] == 0.0);
    }

    @Test
    void evaluationLogLossFromProbabilitiesEqualsTheTrainingLossFromScores() {
        // Confident wrong answers included: with the old 1e-15 clamp the second column cost 34.5, not 50.
        double[][] columns = {{0.3, -1.2, 2.0}, {50, 0, 0}, {-3, 4, 1e-3}, {700, -20, 5}};
        int[] truth = {2, 1, 1, 1};
        for (int c = 0; c < columns.length; c++) {
            double[] z = columns[c];
            double[] p = z.clone();
            Softmax.inPlace(p, 0, 3);
            double[] y = new double[3];
            y[truth[c]] = 1;
            double training = Loss.CROSS_ENTROPY.sum(z, p, 0, y, 0, 3, 1);
            assertEquals(training, Loss.logLoss(p[truth[c]]), 1e-9 * Math.max(1, training), "column " + c);
        }
        assertEquals(50.0, Loss.logLoss(softmaxOf(50, 0, 0)[1]), 1e-9);
        // One sigmoid unit: probability (s(-z), s(z)) as the classification model gives it.
        for (double z : new double[] {-40, -2, 0.5, 40}) {
            for (int label = 0; label <= 1; label++) {
                double bce = Loss.BINARY_CROSS_ENTROPY.sum(new double[] {z}, null, 0, new double[] {label}, 0, 1, 1);
                double p = label == 1 ? Activation.sigmoid(z) : Activation.sigmoid(-z);
                assertEquals(bce, Loss.logLoss(p), 1e-9 * Math.max(1, bce), "z " + z + ", label " + label);
            }
        }
    }

    @Test
    void aProbabilityThatUnderflowedCostsALargeFiniteAmount() {
        assertEquals(-Math.log(Double.MIN_VALUE), Loss.logLoss(0.0), 1e-12);
        assertTrue(Loss.logLoss(0.0) > 744 && Loss.logLoss(0.0) < 745);
        assertEquals(0.0, Loss.logLoss(1.0), 0.0);
    }

    private static double[] softmaxOf(double... z) {
        double[] p = z.clone();
        Softmax.inPlace(p, 0, p.length);
        return p;
    }
}
