package io.sparkprop.train;

import io.sparkprop.nn.Dropout;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.optim.Optimizer;
import io.sparkprop.optim.Optimizers;
import java.io.Serializable;

/**
 * How to train, with every default in one place (the ML params and the conf keys of the same
 * names take theirs from {@link #DEFAULTS}).
 *
 * @param maxEpochs    passes over the data; with full batch, one epoch is one iteration
 * @param batchSize    global rows per step (on average: rows fall in steps by their identity); 0 = full batch
 * @param stepSize     alpha, the learning rate
 * @param seed         fixes initial weights, the held-out rows and the rows of every step
 * @param optimizer    gd, momentum, adam or lamb
 * @param momentum     mu, for the momentum optimizer
 * @param nesterov     whether momentum takes the Nesterov look-ahead
 * @param regParam     weight decay lambda on weights, not biases: dW += lambda W, or with lamb the
 *                     paper's decoupled form (lambda W added to the layer's update before its trust ratio)
 * @param earlyStoppingPatience epochs without a better validation metric before stopping; 0 = never
 * @param schedule     how alpha changes over training (constant by default)
 * @param adamBeta1    Adam's decay of the gradient's running mean, in [0, 1)
 * @param adamBeta2    Adam's decay of the squared gradient's running mean, in [0, 1)
 * @param adamEpsilon  Adam's guard against division by zero, > 0
 * @param dropout      inverted dropout on the hidden layers in training; {@link Dropout#NONE} = off
 */
public record TrainingConfig(int maxEpochs, int batchSize, double stepSize, long seed, String optimizer,
                             double momentum, boolean nesterov, double regParam, int earlyStoppingPatience,
                             LearningRateSchedule schedule, double adamBeta1, double adamBeta2,
                             double adamEpsilon, Dropout dropout)
        implements Serializable {

    public static final TrainingConfig DEFAULTS =
            new TrainingConfig(20, 128, 0.001, 42L, "adam", 0.9, false, 0.0, 0, LearningRateSchedule.CONSTANT,
                    0.9, 0.999, 1e-8, Dropout.NONE);

    public TrainingConfig {
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("maxEpochs must be >= 1, got " + maxEpochs);
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize must be >= 0 (0 = full batch), got " + batchSize);
        }
        if (!(stepSize > 0) || Double.isInfinite(stepSize)) {
            throw new IllegalArgumentException("stepSize must be a finite number > 0, got " + stepSize);
        }
        if (!(regParam >= 0) || Double.isInfinite(regParam)) {
            throw new IllegalArgumentException("regParam must be >= 0, got " + regParam);
        }
        if (earlyStoppingPatience < 0) {
            throw new IllegalArgumentException("earlyStoppingPatience must be >= 0, got " + earlyStoppingPatience);
        }
        if (!(adamBeta1 >= 0 && adamBeta1 < 1)) {
            throw new IllegalArgumentException("adamBeta1 must be in [0, 1), got " + adamBeta1);
        }
        if (!(adamBeta2 >= 0 && adamBeta2 < 1)) {
            throw new IllegalArgumentException("adamBeta2 must be in [0, 1), got " + adamBeta2);
        }
        if (!(adamEpsilon > 0) || Double.isInfinite(adamEpsilon)) {
            throw new IllegalArgumentException("adamEpsilon must be a finite number > 0, got " + adamEpsilon);
        }
        Optimizers.create(optimizer, momentum, nesterov, adamBeta1, adamBeta2, adamEpsilon, regParam); // rejects unknown names, bad momentum
        if (schedule == null) {
            throw new IllegalArgumentException("schedule must not be null");
        }
        if (dropout == null) {
            throw new IllegalArgumentException("dropout must not be null (Dropout.NONE is off)");
        }
    }

    /** alpha for one step, after the schedule. */
    public double stepSizeAt(int epoch, int step, int stepsPerEpoch) {
        return schedule.stepSize(stepSize, epoch, step, stepsPerEpoch, maxEpochs);
    }

    public Optimizer newOptimizer() {
        return Optimizers.create(optimizer, momentum, nesterov, adamBeta1, adamBeta2, adamEpsilon, regParam);
    }

    /**
     * Steps in one epoch over {@code rows} rows: 1 for full batch, else rows / batchSize rounded to
     * the nearest whole number (at least 1). Each row falls in a step by its identity, so a step
     * takes about batchSize rows, a few more or less.
     */
    public int stepsPerEpoch(long rows) {
        if (batchSize == 0 || batchSize >= rows) {
            return 1;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round((double) rows / batchSize)));
    }

    public TrainingConfig withMaxEpochs(int v) {
        return new TrainingConfig(v, batchSize, stepSize, seed, optimizer, momentum, nesterov, regParam, earlyStoppingPatience, schedule, adamBeta1, adamBeta2, adamEpsilon, dropout);
    }

    public TrainingConfig withBatchSize(int v) {
        return new TrainingConfig(maxEpochs, v, stepSize, seed, optimizer, momentum, nesterov, regParam, earlyStoppingPatience, schedule, adamBeta1, adamBeta2, adamEpsilon, dropout);
    }

    public TrainingConfig withStepSize(double v) {
        return new TrainingConfig(maxEpochs, batchSize, v, seed, optimizer, momentum, nesterov, regParam, earlyStoppingPatience, schedule, adamBeta1, adamBeta2, adamEpsilon, dropout);
    }

    public TrainingConfig withSeed(long v) {
        return new TrainingConfig(maxEpochs, batchSize, stepSize, v, optimizer, momentum, nesterov, regParam, earlyStoppingPatience, schedule, adamBeta1, adamBeta2, adamEpsilon, dropout);
    }

    public TrainingConfig withOptimizer(String v) {
        return new TrainingConfig(maxEpochs, batchSize, stepSize, seed, v, momentum, nesterov, regParam, earlyStoppingPatience, schedule, adamBeta1, adamBeta2, adamEpsilon, dropout);
    }

    public TrainingConfig withMomentum(double v, boolean useNesterov) {
        return new TrainingConfig(maxEpochs, batchSize, stepSize, seed, optimizer, v, useNesterov, regParam, earlyStoppingPatience, schedule, adamBeta1, adamBeta2, adamEpsilon, dropout);
    }

    public TrainingConfig withRegParam(double v) {
        return new TrainingConfig(maxEpochs, batchSize, stepSize, seed, optimizer, momentum, nesterov, v, earlyStoppingPatience, schedule, adamBeta1, adamBeta2, adamEpsilon, dropout);
    }

    public TrainingConfig withSchedule(LearningRateSchedule v) {
        return new TrainingConfig(maxEpochs, batchSize, stepSize, seed, optimizer, momentum, nesterov, regParam,
                earlyStoppingPatience, v, adamBeta1, adamBeta2, adamEpsilon, dropout);
    }

    public TrainingConfig withEarlyStoppingPatience(int v) {
        return new TrainingConfig(maxEpochs, batchSize, stepSize, seed, optimizer, momentum, nesterov, regParam, v, schedule, adamBeta1, adamBeta2,
                adamEpsilon, dropout);
    }

    public TrainingConfig withAdam(double beta1, double beta2, double epsilon) {
        return new TrainingConfig(maxEpochs, batchSize, stepSize, seed, optimizer, momentum, nesterov, regParam,
                earlyStoppingPatience, schedule, beta1, beta2, epsilon, dropout);
    }

    public TrainingConfig withDropout(Dropout v) {
        return new TrainingConfig(maxEpochs, batchSize, stepSize, seed, optimizer, momentum, nesterov, regParam,
                earlyStoppingPatience, schedule, adamBeta1, adamBeta2, adamEpsilon, v);
    }
}
