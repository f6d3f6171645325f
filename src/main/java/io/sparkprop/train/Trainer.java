package io.sparkprop.train;

import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Topology;
import io.sparkprop.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loop, the same over any {@link GradientSource}: for each step, gradient sums
 * from the source, one division by the m that came back with them, optional L2 decay, the
 * optimizer's update; per epoch, validation, listeners and early stopping.
 */
public final class Trainer {
    private final Topology topology;
    private final TrainingConfig config;
    private final double targetScale;

    public Trainer(Topology topology, TrainingConfig config) {
        this(topology, config, 1.0);
    }

    /**
     * @param targetScale for a regression trained on targets divided by this scale, the factor that
     *                    brings the validation RMSE back to the label's units
     */
    public Trainer(Topology topology, TrainingConfig config, double targetScale) {
        this.topology = topology;
        this.config = config;
        this.targetScale = targetScale;
    }

    /**
     * Trains from {@code initialWeights} (not modified). {@code validation} may be null.
     *
     * @throws DivergenceException when a loss or gradient is not finite
     */
    public TrainingResult train(GradientSource source, GradientSource validation, double[] initialWeights,
                                TrainingListener listener) {
        if (initialWeights.length != topology.parameterCount()) {
            throw new IllegalArgumentException("initial weights have " + initialWeights.length
                    + " values; network " + topology + " needs " + topology.parameterCount());
        }
        long rows = source.rowCount();
        if (rows == 0) {
            throw new IllegalArgumentException("no training rows");
        }
        int steps = config.stepsPerEpoch(rows);
        double[] w = initialWeights.clone();
        Optimizer optimizer = config.newOptimizer();
        optimizer.initialise(w.length);
        listener.onStart(rows, steps, config.maxEpochs());

        List<EpochStats> history = new ArrayList<>();
        double[] best = null;
        int bestEpoch = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        int sinceBest = 0;
        for (int epoch = 1; epoch <= config.maxEpochs(); epoch++) {
            long start = System.nanoTime();
            double lossSum = 0;
            long count = 0;
            long correct = 0;
            for (int s = 0; s < steps; s++) {
                Step step = new Step(config.seed(), epoch, s, steps);
                listener.onStepStart(step, config.maxEpochs());
                GradientSum sum = source.gradient(w, step);
                if (sum.count() == 0) {
                    continue; // tiny partitions can leave a step empty; there is nothing to average
                }
                if (!Double.isFinite(sum.lossSum())) {
                    throw new DivergenceException(epoch, s, steps, "the loss", config.stepSize());
                }
                lossSum += sum.lossSum();
                count += sum.count();
                correct += sum.correct();
                double[] gradient = sum.meanGradientInPlace();
                addWeightDecay(w, gradient);
                if (!allFinite(gradient)) {
                    throw new DivergenceException(epoch, s, steps, "the gradient", config.stepSize());
                }
                optimizer.stepInPlace(w, gradient, config.stepSizeAt(epoch, s, steps));
            }
            double validationLoss = Double.NaN;
            double validationMetric = Double.NaN;
            if (validation != null) {
                listener.onValidationStart(epoch, config.maxEpochs());
                GradientSum v = validation.evaluate(w);
                validationLoss = v.meanLoss();
                validationMetric = metric(v);
            }
            EpochStats stats = new EpochStats(epoch, steps, count, lossSum / count,
                    topology.isClassifier() ? (double) correct / count : Double.NaN,
                    validationLoss, validationMetric, (System.nanoTime() - start) / 1e9);
            history.add(stats);
            listener.onEpoch(stats, w);

            if (validation != null && config.earlyStoppingPatience() > 0) {
                double score = topology.isClassifier() ? validationMetric : -validationMetric;
                if (score > bestScore) {
                    bestScore = score;
                    best = w.clone();
                    bestEpoch = epoch;
                    sinceBest = 0;
                } else if (++sinceBest >= config.earlyStoppingPatience()) {
                    break;
                }
            }
        }
        if (best != null) {
            return new TrainingResult(best, history, bestEpoch);
        }
        return new TrainingResult(w, history, history.size());
    }

    /** Accuracy for a classifier; RMSE per output value, in the label's units, for a regression. */
    double metric(GradientSum s) {
        if (topology.isClassifier()) {
            return (double) s.correct() / s.count();
        }
        return targetScale * Math.sqrt(s.meanLoss() / topology.outputWidth());
    }

    private void addWeightDecay(double[] w, double[] gradient) {
        double lambda = config.regParam();
        if (lambda == 0) {
            return;
        }
        for (int l = 1; l <= topology.layerCount(); l++) {
            int off = topology.weightOffset(l);
            for (int i = off, end = topology.biasOffset(l); i < end; i++) {
                gradient[i] += lambda * w[i];
            }
        }
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
