package io.sparkprop.train;

import io.sparkprop.nn.Dropout;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Topology;
import io.sparkprop.optim.Optimizer;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The training loop, the same over any {@link GradientSource}: epochs of steps from a
 * {@link TrainingState} (the initial one, or a checkpoint's), each step one division of the
 * gradient sums by the m that came back with them, optional L2 decay and the optimizer's update;
 * after each epoch, validation, listeners, {@link EarlyStopping} and the checkpoint.
 */
public final class Trainer {
    private final Topology topology;
    private final TrainingConfig config;
    private final ValidationMetric metric;
    private final EarlyStopping earlyStopping;
    private final int[] weightStarts; // what L2 decays: the weights, not the biases
    private final int[] weightEnds;
    private CheckpointStore checkpoints;
    private int checkpointInterval = 1;
    private boolean resume;

    /** Validation scored by accuracy for a classifier, by RMSE over the (unscaled) targets for a regression. */
    public Trainer(Topology topology, TrainingConfig config) {
        this(topology, config, ValidationMetric.of(topology, null));
    }

    /** {@code metric} scores the validation rows each epoch and is what early stopping compares. */
    public Trainer(Topology topology, TrainingConfig config, ValidationMetric metric) {
        this.topology = topology;
        this.config = config;
        this.metric = metric;
        this.earlyStopping = new EarlyStopping(config.earlyStoppingPatience(), metric.higherIsBetter());
        this.weightStarts = topology.weightStarts();
        this.weightEnds = topology.weightEnds();
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

    /**
     * What the result depends on, as text: checked on resume. Not the partition count: which rows
     * a step uses depends on the rows, not on how they are partitioned.
     */
    Map<String, String> configuration(long rows, double[] initialWeights) {
        Map<String, String> c = new TreeMap<>();
        c.put("topology", topology.toString());
        c.put("rows", Long.toString(rows));
        c.put("initialWeights", fingerprint(initialWeights));
        for (RecordComponent rc : TrainingConfig.class.getRecordComponents()) {
            try {
                Object value = rc.getAccessor().invoke(config);
                if (value == Dropout.NONE || value instanceof Dropout d && d.isOff()) {
                    continue; // as checkpoints written before dropout existed, which resume as before
                }
                c.put(rc.getName(), String.valueOf(value));
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
        config.dropout().checkFits(topology);
        if (initialWeights.length != topology.parameterCount()) {
            throw new IllegalArgumentException("initial weights have " + initialWeights.length
                    + " values; network " + topology + " needs " + topology.parameterCount());
        }
        long rows = source.rowCount();
        if (rows == 0) {
            throw new IllegalArgumentException("no training rows");
        }
        int steps = config.stepsPerEpoch(rows);
        Optimizer optimizer = config.newOptimizer();
        optimizer.initialise(initialWeights.length, topology.weightStarts(), topology.weightEnds());
        Map<String, String> configuration = configuration(rows, initialWeights);
        TrainingState state = resume ? resumeState(configuration)
                : TrainingState.start(initialWeights, optimizer.state());

        double[] w = state.weights().clone();
        optimizer.restoreState(state.optimizerState());
        List<EpochStats> history = new ArrayList<>(state.history());
        EarlyStopping.State stopping = state.earlyStopping();
        listener.onStart(rows, steps, config.maxEpochs());
        for (int epoch = state.epoch() + 1; epoch <= config.maxEpochs(); epoch++) {
            EpochStats stats = runEpoch(source, validation, w, optimizer, epoch, steps, listener);
            history.add(stats);
            listener.onEpoch(stats, w);
            if (validation != null) {
                stopping = earlyStopping.after(stopping, epoch, stats.validationMetric(), w);
            }
            boolean stop = earlyStopping.shouldStop(stopping);
            if (checkpoints != null && (epoch % checkpointInterval == 0 || epoch == config.maxEpochs() || stop)) {
                checkpoints.save(new Checkpoint(new TrainingState(epoch, w.clone(), optimizer.state(), history,
                        stopping), configuration));
            }
            if (stop) {
                break;
            }
        }
        if (stopping.bestWeights() != null) {
            return new TrainingResult(stopping.bestWeights(), history, stopping.bestEpoch());
        }
        return new TrainingResult(w, history, history.size());
    }

    /** One epoch's steps, updating {@code w} and the optimizer in place, then validation. */
    private EpochStats runEpoch(GradientSource source, GradientSource validation, double[] w, Optimizer optimizer,
                                int epoch, int steps, TrainingListener listener) {
        long start = System.nanoTime();
        double lossSum = 0;
        long count = 0;
        double weight = 0;
        double correct = 0;
        for (int s = 0; s < steps; s++) {
            Step step = new Step(config.seed(), epoch, s, steps, config.dropout());
            listener.onStepStart(step, config.maxEpochs());
            GradientSum sum = source.gradient(w, step);
            if (sum.weight() == 0) {
                continue; // a small data set can leave a step empty (or all its rows weigh 0): nothing to average
            }
            if (!Double.isFinite(sum.lossSum())) {
                throw new DivergenceException(epoch, s, steps, "the loss", config.stepSize());
            }
            lossSum += sum.lossSum();
            count += sum.count();
            weight += sum.weight();
            correct += sum.correct();
            double lambda = optimizer.decaysWeights() ? 0 : config.regParam();
            if (!sum.meanGradientInPlace(w, lambda, weightStarts, weightEnds)) {
                throw new DivergenceException(epoch, s, steps, "the gradient", config.stepSize());
            }
            double[] gradient = sum.sums();
            optimizer.stepInPlace(w, gradient, config.stepSizeAt(epoch, s, steps));
        }
        double validationLoss = Double.NaN;
        double validationMetric = Double.NaN;
        if (validation != null) {
            listener.onValidationStart(epoch, config.maxEpochs());
            GradientSum v = validation.evaluate(w);
            validationLoss = v.meanLoss();
            validationMetric = metric.of(v);
        }
        return new EpochStats(epoch, steps, count, lossSum / weight,
                topology.isClassifier() ? correct / weight : Double.NaN,
                validationLoss, validationMetric, (System.nanoTime() - start) / 1e9);
    }

    private TrainingState resumeState(Map<String, String> configuration) {
        Checkpoint c = checkpoints.latest().orElseThrow(() -> new IllegalArgumentException(
                "no checkpoint in " + checkpoints.dir() + " to resume from"));
        requireSameConfiguration(c.configuration(), configuration);
        return c.state();
    }

    private void requireSameConfiguration(Map<String, String> saved, Map<String, String> now) {
        List<String> differences = new ArrayList<>();
        for (String key : new java.util.TreeSet<>(now.keySet())) {
            if (!now.get(key).equals(saved.get(key))) {
                differences.add(key + " was " + saved.getOrDefault(key, "not set") + ", is " + now.get(key));
            }
        }
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("cannot resume from " + checkpoints.dir() + ": the run's settings differ"
                    + " from the checkpoint's (" + String.join("; ", differences) + ")");
        }
    }

    /** A short hash of the values' bits: the same weights give the same text on any machine. */
    static String fingerprint(double[] values) {
        long h = 1125899906842597L;
        for (double v : values) {
            h = 31 * h + Double.doubleToLongBits(v);
        }
        return String.format("%016x", h);
    }
}
