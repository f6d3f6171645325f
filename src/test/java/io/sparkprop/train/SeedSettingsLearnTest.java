package io.sparkprop.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.CsvTable;
import io.sparkprop.data.Standardizer;
import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Block;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import io.sparkprop.nn.WeightInit;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The three seed settings, trained by the local reference with full-batch gradient descent on
 * standardised inputs, learn the bundled datasets.
 */
class SeedSettingsLearnTest {

    @Test
    void reluSoftmaxCrossEntropyFitsDigits() {
        CsvTable digits = CsvTable.bundled("digits");
        Topology t = new Topology(new int[] {64, 32, 10}, Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        TrainingResult r = train(digits, t, TargetEncoder.classes(10, Loss.CROSS_ENTROPY), 0.5, 150);
        double accuracy = last(r).trainAccuracy();
        System.out.printf("digits: training accuracy %.4f after %d iterations%n", accuracy, r.history().size());
        assertTrue(accuracy >= 0.95, "digits training accuracy " + accuracy);
        assertDecreasing(r);
    }

    @Test
    void sigmoidBinaryCrossEntropyFitsBreastCancer() {
        CsvTable data = CsvTable.bundled("breast_cancer");
        Topology t = new Topology(new int[] {30, 16, 1}, Activation.SIGMOID, Activation.SIGMOID,
                Loss.BINARY_CROSS_ENTROPY);
        TrainingResult r = train(data, t, TargetEncoder.classes(2, Loss.BINARY_CROSS_ENTROPY), 0.5, 200);
        double accuracy = last(r).trainAccuracy();
        System.out.printf("breast_cancer: training accuracy %.4f after %d iterations%n", accuracy, r.history().size());
        assertTrue(accuracy >= 0.95, "breast_cancer training accuracy " + accuracy);
    }

    @Test
    void quadraticCostOnDiabetesBeatsPredictingTheMean() {
        CsvTable data = CsvTable.bundled("diabetes");
        double mean = Arrays.stream(data.labels()).average().orElseThrow();
        double variance = Arrays.stream(data.labels()).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
        double std = Math.sqrt(variance);
        Topology t = new Topology(new int[] {10, 16, 1}, Activation.SIGMOID, Activation.IDENTITY, Loss.QUADRATIC);
        TrainingResult r = train(data, t, TargetEncoder.regression(mean, std), 0.05, 300);
        // With targets (y - mean) / std, always predicting the mean costs exactly the variance / std^2 = 1.
        double baseline = 1.0;
        double cost = last(r).trainLoss();
        System.out.printf("diabetes: quadratic cost %.4f vs %.4f for the mean (R^2 %.3f)%n", cost, baseline, 1 - cost);
        assertTrue(cost < baseline * 0.6, "diabetes quadratic cost " + cost + " vs mean predictor " + baseline);
    }

    private static TrainingResult train(CsvTable data, Topology t, TargetEncoder targets, double stepSize, int iterations) {
        List<Block> blocks = data.toBlocks(targets, Standardizer.fit(data.features()), 128);
        TrainingConfig config = TrainingConfig.DEFAULTS.withStepSize(stepSize).withMaxEpochs(iterations)
                .withOptimizer("gd").withBatchSize(0);
        try (LocalGradientSource source = new LocalGradientSource(t, blocks)) {
            return new Trainer(t, config).train(source, null, WeightInit.initialWeights(t, 1), TrainingListener.NONE);
        }
    }

    private static EpochStats last(TrainingResult r) {
        return r.history().get(r.history().size() - 1);
    }

    private static void assertDecreasing(TrainingResult r) {
        double[] loss = r.lossHistory();
        assertTrue(loss[loss.length - 1] < loss[0] / 4, "loss went from " + loss[0] + " to " + loss[loss.length - 1]);
    }
}
