package io.sparkprop.ml;

import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.optim.Optimizers;
import io.sparkprop.train.TrainingConfig;
import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import scala.Function1;

/**
 * The Param objects of one estimator or model, with their documentation, validators and
 * defaults. Each owner holds one and exposes its fields through {@link FeedForwardParams}.
 */
public final class FeedForwardParamSet implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    static final int[] DEFAULT_HIDDEN_LAYERS = {100};

    final IntArrayParam hiddenLayers;
    final Param<String> activation;
    final Param<String> loss;
    final Param<String> optimizer;
    final DoubleParam stepSize;
    final IntParam batchSize;
    final IntParam maxEpochs;
    final LongParam seed;
    final BooleanParam standardize;
    final Param<Vector> initialWeights;
    final DoubleParam momentum;
    final DoubleParam regParam;
    final DoubleParam validationFraction;
    final Param<String> validationIndicatorCol;
    final Param<String> idCol;
    final IntParam earlyStoppingPatience;
    final BooleanParam nesterov;
    final Param<String> schedule;
    final DoubleParam decayRate;
    final IntParam decayEpochs;
    final IntParam warmupEpochs;
    final Param<String> checkpointDir;
    final IntParam checkpointInterval;

    FeedForwardParamSet(Params owner, boolean classifier) {
        hiddenLayers = new IntArrayParam(owner, "hiddenLayers",
                "widths of the hidden layers, e.g. [256, 128]; the input width comes from the features, the"
                        + " output width from the classes (or 1 for a regression)",
                fn(a -> a.length > 0 && Arrays.stream(a).allMatch(n -> n > 0)));
        activation = new Param<>(owner, "activation", "hidden-layer activation: sigmoid, relu or tanh",
                fn(s -> isOneOf(s, "sigmoid", "relu", "tanh")));
        loss = new Param<>(owner, "loss", classifier
                ? "crossEntropy (softmax outputs), binaryCrossEntropy (one sigmoid output, two classes) or"
                        + " quadratic (sigmoid outputs against one-hot targets)"
                : "quadratic (identity outputs): the mean over samples of sum_j (a_j - y_j)^2",
                fn(s -> classifier ? isOneOf(s, "crossEntropy", "binaryCrossEntropy", "quadratic")
                        : isOneOf(s, "quadratic")));
        optimizer = new Param<>(owner, "optimizer", "update rule: " + Optimizers.NAMES,
                fn(s -> isOneOf(s, "gd", "momentum", "adam")));
        stepSize = new DoubleParam(owner, "stepSize", "learning rate alpha (> 0)", ParamValidators.gt(0.0));
        batchSize = new IntParam(owner, "batchSize",
                "global rows per step, on average: each row falls in a step by its identity, whatever its partition;"
                        + " 0 = full batch",
                ParamValidators.gtEq(0.0));
        maxEpochs = new IntParam(owner, "maxEpochs", "passes over the training rows (>= 1)", ParamValidators.gtEq(1.0));
        seed = new LongParam(owner, "seed", "random seed: initial weights, held-out rows and the rows of every step");
        standardize = new BooleanParam(owner, "standardize",
                "scale features to mean 0 and std 1 (and regression targets too), with statistics saved in the"
                        + " model and applied when it predicts");
        initialWeights = new Param<>(owner, "initialWeights",
                "starting weights in the flat layout (per layer: W column-major, then b); unset = from the seed");
        momentum = new DoubleParam(owner, "momentum", "mu for the momentum optimizer, in [0, 1)",
                ParamValidators.inRange(0.0, 1.0, true, false));
        regParam = new DoubleParam(owner, "regParam", "L2 weight decay lambda (>= 0), on weights, not biases",
                ParamValidators.gtEq(0.0));
        validationFraction = new DoubleParam(owner, "validationFraction",
                "share of the training rows held out (by the seed and each row's identity) to report validation"
                        + " loss and metric each epoch; 0 = none. Ignored when validationIndicatorCol is set",
                ParamValidators.inRange(0.0, 1.0, true, false));
        validationIndicatorCol = new Param<>(owner, "validationIndicatorCol",
                "name of a boolean column that marks validation rows (true) apart from training rows");
        idCol = new Param<>(owner, "idCol",
                "a column whose value identifies each row; held-out rows and the rows of every step are chosen by"
                        + " a hash of it rather than of the row's features and label; unset = by content",
                fn(s -> s != null && !s.isBlank()));
        earlyStoppingPatience = new IntParam(owner, "earlyStoppingPatience",
                "stop after this many epochs without a better validation metric and keep the best epoch's"
                        + " weights; 0 = train all maxEpochs", ParamValidators.gtEq(0.0));
        nesterov = new BooleanParam(owner, "nesterov", "with the momentum optimizer, take Nesterov's look-ahead step");
        schedule = new Param<>(owner, "schedule", "how stepSize changes: constant, step (times decayRate every"
                + " decayEpochs epochs) or cosine (to 0 at maxEpochs)", fn(s -> isOneOf(s, "constant", "step", "cosine")));
        decayRate = new DoubleParam(owner, "decayRate", "factor of the step schedule, in (0, 1]",
                ParamValidators.inRange(0.0, 1.0, false, true));
        decayEpochs = new IntParam(owner, "decayEpochs", "epochs between decays of the step schedule (>= 1)",
                ParamValidators.gtEq(1.0));
        checkpointDir = new Param<>(owner, "checkpointDir", "a local folder on the driver for checkpoints (weights,"
                + " optimizer state, epoch, settings), written under a temporary name and renamed; the newest 3 are"
                + " kept; unset = no checkpoints");
        checkpointInterval = new IntParam(owner, "checkpointInterval", "epochs between checkpoints (>= 1)",
                ParamValidators.gtEq(1.0));
        warmupEpochs = new IntParam(owner, "warmupEpochs",
                "epochs over which stepSize ramps up linearly, step by step, from near 0; 0 = no warm-up",
                ParamValidators.gtEq(0.0));
    }

    /** Sets every default on the owner; the training ones come from {@link TrainingConfig#DEFAULTS}. */
    void setDefaults(Params owner, boolean classifier) {
        TrainingConfig d = TrainingConfig.DEFAULTS;
        owner.setDefault(hiddenLayers, DEFAULT_HIDDEN_LAYERS);
        owner.setDefault(activation, Activation.RELU.paramName());
        owner.setDefault(loss, classifier ? Loss.CROSS_ENTROPY.paramName() : Loss.QUADRATIC.paramName());
        owner.setDefault(optimizer, d.optimizer());
        owner.setDefault(stepSize, d.stepSize());
        owner.setDefault(batchSize, d.batchSize());
        owner.setDefault(maxEpochs, d.maxEpochs());
        owner.setDefault(seed, d.seed());
        owner.setDefault(standardize, true);
        owner.setDefault(momentum, d.momentum());
        owner.setDefault(regParam, d.regParam());
        owner.setDefault(validationFraction, 0.0);
        owner.setDefault(earlyStoppingPatience, d.earlyStoppingPatience());
        owner.setDefault(nesterov, d.nesterov());
        owner.setDefault(schedule, d.schedule().kind());
        owner.setDefault(decayRate, d.schedule().decayRate());
        owner.setDefault(decayEpochs, d.schedule().decayEpochs());
        owner.setDefault(warmupEpochs, d.schedule().warmupEpochs());
        owner.setDefault(checkpointInterval, 1);
    }

    private static boolean isOneOf(String s, String... allowed) {
        return s != null && Arrays.asList(allowed).contains(s);
    }

    /** A validator that travels with the model to executors. */
    private interface Check<T> extends java.io.Serializable {
        boolean test(T value);
    }

    private static <T> Function1<T, Object> fn(Check<T> check) {
        return (Function1<T, Object> & java.io.Serializable) check::test;
    }
}
