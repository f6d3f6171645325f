package io.sparkprop.train;

import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Topology;
import io.sparkprop.optim.Optimizer;
import java.util.ArrayList;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The training loop, the same over any {@link GradientSource}: for each step, gradient sums
 * from the source, one division by the m that came back with them, optional L2 decay, the
 * optimizer's update; per epoch, validation, listeners and early stopping.
 */
public final class Trainer {
    private final Topology topology;
    private final TrainingConfig config;
    private final double targetScale;
    private CheckpointStore checkpoints;
    private int checkpointInterval = 1;
    private boolean resume;

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
     * Saves a checkpoint every {@code interval} epochs into {@code store}; with {@code resume},
     * continues from the newest checkpoint there instead of from the initial weights, and ends
     * with bitwise the weights an uninterrupted run would have.
     */
    public Trainer checkpoints(CheckpointStore store, int interval, boolean resumeFromNewest) {
        if (interval < 1) {
            throw new IllegalArgumentException("checkpointInterval must be >= 1, got " + interval);
        }
        if (resumeFromNewest && store == null) {
            throw new IllegalArgumentException("resume needs a checkpointDir");
        }
        this.checkpoints = store;
        this.checkpointInterval = interval;
        this.resume = resumeFromNewest;
        return this;
    }

    /** What the result depends on, as text: checked on resume. */
    Map<String, String> configuration(long rows) {
        Map<String, String> c = new TreeMap<>();
        c.put("topology", topology.toString());
        c.put("rows", Long.toString(rows));
        for (RecordComponent rc : TrainingConfig.class.getRecordComponents()) {
            try {
                c.put(rc.getName(), String.valueOf(rc.getAccessor().invoke(config)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return c;
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
        Map<String, String> configuration = configuration(rows);

        List<EpochStats> history = new ArrayList<>();
        double[] best = null;
        int bestEpoch = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        int sinceBest = 0;
        int firstEpoch = 1;
        if (resume) {
            Checkpoint c = checkpoints.latest().orElseThrow(() -> new IllegalArgumentException(
                    "no checkpoint in " + checkpoints.dir() + " to resume from"));
            requireSameConfiguration(c.configuration(), configuration);
            w = c.weights().clone();
            optimizer.restoreState(c.optimizerState());
            history.addAll(c.history());
            best = c.bestWeights();
            bestEpoch = c.bestEpoch();
            bestScore = c.bestScore();
            sinceBest = c.sinceBest();
            firstEpoch = c.epoch() + 1;
        }
        listener.onStart(rows, steps, config.maxEpochs());
        for (int epoch = firstEpoch; epoch <= config.maxEpochs(); epoch++) {
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

            boolean stop = false;
            if (validation != null && config.earlyStoppingPatience() > 0) {
                double score = topology.isClassifier() ? validationMetric : -validationMetric;
                if (score > bestScore) {
                    bestScore = score;
                    best = w.clone();
                    bestEpoch = epoch;
                    sinceBest = 0;
                } else {
                    stop = ++sinceBest >= config.earlyStoppingPatience();
                }
            }
            if (checkpoints != null && (epoch % checkpointInterval == 0 || epoch == config.maxEpochs() || stop)) {
                checkpoints.save(new Checkpoint(epoch, w.clone(), optimizer.state(), history, best, bestEpoch,
                        bestScore, sinceBest, configuration));
            }
            if (stop) {
                break;
            }
        }
        if (best != null) {
            return new TrainingResult(best, history, bestEpoch);
        }
        return new TrainingResult(w, history, history.size());
    }

    private void requireSameConfiguration(Map<String, String> saved, Map<String, String> now) {
        List<String> differences = new ArrayList<>();
        for (String key : new java.util.TreeSet<>(now.keySet())) {
            if (!now.get(key).equals(saved.get(key))) {
                differences.add(key + " was " + saved.get(key) + ", is " + now.get(key));
            }
        }
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("cannot resume from " + checkpoints.dir() + ": the run's settings differ"
                    + " from the checkpoint's (" + String.join("; ", differences) + ")");
        }
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
