package io.sparkprop.ml;

import static io.sparkprop.ml.ParamSpec.above;
import static io.sparkprop.ml.ParamSpec.atLeast;
import static io.sparkprop.ml.ParamSpec.inRange;
import static io.sparkprop.train.TrainingConfig.DEFAULTS;

import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Dropout;
import io.sparkprop.nn.Precision;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.optim.Optimizers;
import io.sparkprop.train.TrainingConfig;
import io.sparkprop.train.TrainingListener;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The params shared by the feed-forward estimators and their models. This file is the one home
 * of a hyperparameter: its {@link ParamSpec} (name, doc, default, validation), its accessor and
 * getter here, its setter in {@link Setters}, and the line of {@link #trainingConfig()} that
 * hands it to training. The conf keys, {@code --help-keys} and README's key table are read from
 * {@link #ALL}. Training defaults come from {@link TrainingConfig#DEFAULTS}.
 */
public interface FeedForwardParams extends Params {
    ParamSpec<IntArrayParam> HIDDEN_LAYERS = ParamSpec.intArrays("hiddenLayers",
            "widths of the hidden layers, e.g. [256, 128]; the input width comes from the features, the"
                    + " output width from the classes (or 1 for a regression)", new int[] {100},
            v -> ((int[]) v).length > 0 && Arrays.stream((int[]) v).allMatch(n -> n > 0));
    ParamSpec<Param<String>> ACTIVATION = ParamSpec.choice("activation",
            "hidden-layer activation: sigmoid, relu or tanh", Activation.RELU.paramName(), "sigmoid", "tanh");
    ParamSpec<Param<String>> LOSS = ParamSpec.taskChoice("loss", Task::lossDoc, Task::losses);
    ParamSpec<Param<String>> OPTIMIZER = ParamSpec.choice("optimizer", "update rule: " + Optimizers.NAMES,
            DEFAULTS.optimizer(), "gd", "momentum", "lamb");
    ParamSpec<DoubleParam> STEP_SIZE = ParamSpec.doubles("stepSize", "learning rate alpha (> 0)", DEFAULTS.stepSize(),
            above(0.0));
    ParamSpec<IntParam> BATCH_SIZE = ParamSpec.ints("batchSize",
            "global rows per step, on average: each row falls in a step by its identity, whatever its partition;"
                    + " 0 = full batch",
            DEFAULTS.batchSize(), atLeast(0.0));
    ParamSpec<IntParam> MAX_EPOCHS = ParamSpec.ints("maxEpochs", "passes over the training rows (>= 1)",
            DEFAULTS.maxEpochs(), atLeast(1.0));
    ParamSpec<LongParam> SEED = ParamSpec.longs("seed", "random seed: initial weights, held-out rows and the rows of every step",
            DEFAULTS.seed());
    ParamSpec<BooleanParam> STANDARDIZE = ParamSpec.booleans("standardize",
            "scale features to mean 0 and std 1 (and regression targets too), with statistics saved in the"
                    + " model and applied when it predicts", true);
    ParamSpec<DoubleParam> MOMENTUM = ParamSpec.doubles("momentum", "mu for the momentum optimizer, in [0, 1)",
            DEFAULTS.momentum(), inRange(0.0, 1.0, true, false));
    ParamSpec<BooleanParam> NESTEROV = ParamSpec.booleans("nesterov",
            "with the momentum optimizer, take Nesterov's look-ahead step", DEFAULTS.nesterov());
    ParamSpec<DoubleParam> ADAM_BETA1 = ParamSpec.doubles("adamBeta1",
            "Adam's (and LAMB's) decay rate of the running mean of gradients, in [0, 1)", DEFAULTS.adamBeta1(),
            inRange(0.0, 1.0, true, false));
    ParamSpec<DoubleParam> ADAM_BETA2 = ParamSpec.doubles("adamBeta2",
            "Adam's (and LAMB's) decay rate of the running mean of squared gradients, in [0, 1)", DEFAULTS.adamBeta2(),
            inRange(0.0, 1.0, true, false));
    ParamSpec<DoubleParam> ADAM_EPSILON = ParamSpec.doubles("adamEpsilon",
            "Adam's (and LAMB's) epsilon, added to the root of the squared-gradient mean (> 0)", DEFAULTS.adamEpsilon(),
            v -> above(0.0).test(v) && Double.isFinite((Double) v));
    ParamSpec<DoubleParam> REG_PARAM = ParamSpec.doubles("regParam",
            "weight decay lambda (>= 0), on weights, not biases: L2 (dW += lambda W), or with lamb the"
                    + " paper's decoupled decay inside each layer's trust ratio", DEFAULTS.regParam(), atLeast(0.0));
    ParamSpec<Param<String>> SCHEDULE = ParamSpec.choice("schedule", "how stepSize changes: constant, step (times"
            + " decayRate every decayEpochs epochs) or cosine (to 0 at maxEpochs)", DEFAULTS.schedule().kind(), "step",
            "cosine");
    ParamSpec<DoubleParam> DECAY_RATE = ParamSpec.doubles("decayRate", "factor of the step schedule, in (0, 1]",
            DEFAULTS.schedule().decayRate(), inRange(0.0, 1.0, false, true));
    ParamSpec<IntParam> DECAY_EPOCHS = ParamSpec.ints("decayEpochs",
            "epochs between decays of the step schedule (>= 1)", DEFAULTS.schedule().decayEpochs(), atLeast(1.0));
    ParamSpec<IntParam> WARMUP_EPOCHS = ParamSpec.ints("warmupEpochs",
            "epochs over which stepSize ramps up linearly, step by step, from near 0; 0 = no warm-up",
            DEFAULTS.schedule().warmupEpochs(), atLeast(0.0));
    ParamSpec<DoubleParam> VALIDATION_FRACTION = ParamSpec.doubles("validationFraction",
            "share of the training rows held out (by the seed and each row's identity) to report validation"
                    + " loss and metric each epoch; 0 = none. Ignored when validationIndicatorCol is set", 0.0,
            inRange(0.0, 1.0, true, false));
    ParamSpec<Param<String>> VALIDATION_INDICATOR_COL = ParamSpec.optionalString("validationIndicatorCol",
            "name of a boolean column that marks validation rows (true) apart from training rows").notAConfKey();
    ParamSpec<Param<String>> ID_COL = ParamSpec.optionalString("idCol", "a column whose value identifies each"
            + " row; held-out rows and the rows of every step are chosen by a hash of it rather than of the row's"
            + " features and label; unset = by content");
    ParamSpec<IntParam> EARLY_STOPPING_PATIENCE = ParamSpec.ints("earlyStoppingPatience",
            "stop after this many epochs without a better validation metric and keep the best epoch's"
                    + " weights; 0 = train all maxEpochs", DEFAULTS.earlyStoppingPatience(), atLeast(0.0));
    ParamSpec<Param<String>> CHECKPOINT_DIR = ParamSpec.optionalString("checkpointDir", "where checkpoints go:"
            + " hdfs://, s3a://, file:// or a local path on the driver (weights, optimizer state, epoch, settings;"
            + " a commit marker is written last); the newest 3 are kept; unset = no checkpoints");
    ParamSpec<IntParam> CHECKPOINT_INTERVAL = ParamSpec.ints("checkpointInterval",
            "epochs between checkpoints (>= 1)", 1, atLeast(1.0));
    ParamSpec<Param<String>> WEIGHT_COL = ParamSpec.optionalString("weightCol", "a numeric column whose value"
            + " weighs each row (finite, >= 0; 0 leaves the row out): every gradient sum, the loss and the metrics"
            + " are weighted and the mean is over the sum of the weights; unset = every row weighs 1").notAConfKey();
    ParamSpec<Param<String>> CLASS_WEIGHTS = ParamSpec.optionalString("classWeights", "classification: balanced"
            + " (each class weighted by rows / (classes x its rows)) or one weight per class, e.g. 1,4; on top of"
            + " the row weights; unset = none", ClassWeights::isValid);
    ParamSpec<DoubleArrayParam> DROPOUT = ParamSpec.doubleArrays("dropout", "inverted dropout in training: the"
            + " share of hidden units dropped, each in [0, 1), one rate for every hidden layer or one per hidden"
            + " layer, e.g. 0.2 or 0.3,0.1; each mask follows from the seed, step and row, so runs stay"
            + " reproducible; 0 = off", new double[] {0.0},
            v -> ((double[]) v).length > 0 && Arrays.stream((double[]) v).allMatch(p -> p >= 0 && p < 1));
    ParamSpec<Param<String>> PRECISION = ParamSpec.choice("precision", "number type of the cached features and"
            + " of the executors' arithmetic: float64 (exact, Spark ML's convention) or float32 (half the cached"
            + " memory, sgemm instead of dgemm; gradient sums, weights and optimizer state stay float64); the fitted"
            + " model's transform computes in it too",
            Precision.FLOAT64.paramName(), Precision.FLOAT32.paramName());
    ParamSpec<Param<String>> STEP_MODE = ParamSpec.choice("stepMode", "how steps run on the executors: resident"
            + " (a task per task slot stays for the whole training, serving its partitions, and is sent each"
            + " step's weights over a connection to the driver; falls back to job when the executors cannot reach"
            + " the driver) or job (one Spark job per step); both give the same sums bit for bit",
            "resident", "job");
    ParamSpec<Param<Vector>> INITIAL_WEIGHTS = ParamSpec.optionalVector("initialWeights",
            "starting weights in the flat layout (per layer: W column-major, then b); unset = from the seed");

    /** Every param, in the order the key table shows them. */
    List<ParamSpec<?>> ALL = List.of(HIDDEN_LAYERS, ACTIVATION, LOSS, OPTIMIZER, STEP_SIZE, BATCH_SIZE, MAX_EPOCHS,
            SEED, STANDARDIZE, MOMENTUM, NESTEROV, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, REG_PARAM, SCHEDULE,
            DECAY_RATE, DECAY_EPOCHS, WARMUP_EPOCHS, VALIDATION_FRACTION, VALIDATION_INDICATOR_COL,
            ID_COL, WEIGHT_COL, CLASS_WEIGHTS, EARLY_STOPPING_PATIENCE, CHECKPOINT_DIR, CHECKPOINT_INTERVAL, DROPOUT,
            PRECISION, STEP_MODE, INITIAL_WEIGHTS);

    /** The Param objects of this instance (an implementation detail; use the accessors below). */
    FeedForwardParamSet paramSet();

    /** The training settings these params describe. */
    default TrainingConfig trainingConfig() {
        return DEFAULTS.withMaxEpochs(getMaxEpochs()).withBatchSize(getBatchSize())
                .withStepSize(getStepSize()).withSeed(getSeed()).withOptimizer(getOptimizer())
                .withMomentum(getMomentum(), getNesterov()).withRegParam(getRegParam())
                .withAdam(getAdamBeta1(), getAdamBeta2(), getAdamEpsilon())
                .withEarlyStoppingPatience(getEarlyStoppingPatience()).withDropout(new Dropout(getDropout()))
                .withSchedule(new LearningRateSchedule(getSchedule(), getDecayRate(), getDecayEpochs(),
                        getWarmupEpochs()));
    }

    // Accessors (Spark finds a model's params by these public no-argument methods) and getters.

    default IntArrayParam hiddenLayers() {
        return paramSet().get(HIDDEN_LAYERS);
    }

    default int[] getHiddenLayers() {
        return getOrDefault(hiddenLayers());
    }

    default Param<String> activation() {
        return paramSet().get(ACTIVATION);
    }

    default String getActivation() {
        return getOrDefault(activation());
    }

    default Param<String> loss() {
        return paramSet().get(LOSS);
    }

    default String getLoss() {
        return getOrDefault(loss());
    }

    default Param<String> optimizer() {
        return paramSet().get(OPTIMIZER);
    }

    default String getOptimizer() {
        return getOrDefault(optimizer());
    }

    default DoubleParam stepSize() {
        return paramSet().get(STEP_SIZE);
    }

    default double getStepSize() {
        return (Double) getOrDefault(stepSize());
    }

    default IntParam batchSize() {
        return paramSet().get(BATCH_SIZE);
    }

    default int getBatchSize() {
        return (Integer) getOrDefault(batchSize());
    }

    default IntParam maxEpochs() {
        return paramSet().get(MAX_EPOCHS);
    }

    default int getMaxEpochs() {
        return (Integer) getOrDefault(maxEpochs());
    }

    default LongParam seed() {
        return paramSet().get(SEED);
    }

    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    default BooleanParam standardize() {
        return paramSet().get(STANDARDIZE);
    }

    default boolean getStandardize() {
        return (Boolean) getOrDefault(standardize());
    }

    default DoubleParam momentum() {
        return paramSet().get(MOMENTUM);
    }

    default double getMomentum() {
        return (Double) getOrDefault(momentum());
    }

    default BooleanParam nesterov() {
        return paramSet().get(NESTEROV);
    }

    default boolean getNesterov() {
        return (Boolean) getOrDefault(nesterov());
    }

    default DoubleParam adamBeta1() {
        return paramSet().get(ADAM_BETA1);
    }

    default double getAdamBeta1() {
        return (Double) getOrDefault(adamBeta1());
    }

    default DoubleParam adamBeta2() {
        return paramSet().get(ADAM_BETA2);
    }

    default double getAdamBeta2() {
        return (Double) getOrDefault(adamBeta2());
    }

    default DoubleParam adamEpsilon() {
        return paramSet().get(ADAM_EPSILON);
    }

    default double getAdamEpsilon() {
        return (Double) getOrDefault(adamEpsilon());
    }

    default DoubleParam regParam() {
        return paramSet().get(REG_PARAM);
    }

    default double getRegParam() {
        return (Double) getOrDefault(regParam());
    }

    default Param<String> schedule() {
        return paramSet().get(SCHEDULE);
    }

    default String getSchedule() {
        return getOrDefault(schedule());
    }

    default DoubleParam decayRate() {
        return paramSet().get(DECAY_RATE);
    }

    default double getDecayRate() {
        return (Double) getOrDefault(decayRate());
    }

    default IntParam decayEpochs() {
        return paramSet().get(DECAY_EPOCHS);
    }

    default int getDecayEpochs() {
        return (Integer) getOrDefault(decayEpochs());
    }

    default IntParam warmupEpochs() {
        return paramSet().get(WARMUP_EPOCHS);
    }

    default int getWarmupEpochs() {
        return (Integer) getOrDefault(warmupEpochs());
    }

    default DoubleParam validationFraction() {
        return paramSet().get(VALIDATION_FRACTION);
    }

    default double getValidationFraction() {
        return (Double) getOrDefault(validationFraction());
    }

    default Param<String> validationIndicatorCol() {
        return paramSet().get(VALIDATION_INDICATOR_COL);
    }

    /** The validation indicator column if set, else null. */
    default String getValidationIndicatorCol() {
        return isDefined(validationIndicatorCol()) ? getOrDefault(validationIndicatorCol()) : null;
    }

    default Param<String> idCol() {
        return paramSet().get(ID_COL);
    }

    /** The id column if set, else null (rows are then known by their content). */
    default String getIdCol() {
        return isDefined(idCol()) ? getOrDefault(idCol()) : null;
    }

    default IntParam earlyStoppingPatience() {
        return paramSet().get(EARLY_STOPPING_PATIENCE);
    }

    default int getEarlyStoppingPatience() {
        return (Integer) getOrDefault(earlyStoppingPatience());
    }

    default Param<String> checkpointDir() {
        return paramSet().get(CHECKPOINT_DIR);
    }

    /** The checkpoint folder if set, else null. */
    default String getCheckpointDir() {
        return isDefined(checkpointDir()) ? getOrDefault(checkpointDir()) : null;
    }

    default IntParam checkpointInterval() {
        return paramSet().get(CHECKPOINT_INTERVAL);
    }

    default int getCheckpointInterval() {
        return (Integer) getOrDefault(checkpointInterval());
    }

    default Param<String> weightCol() {
        return paramSet().get(WEIGHT_COL);
    }

    /** The weight column if set, else null (every row weighs 1). */
    default String getWeightCol() {
        return isDefined(weightCol()) ? getOrDefault(weightCol()) : null;
    }

    default Param<String> classWeights() {
        return paramSet().get(CLASS_WEIGHTS);
    }

    /** {@code balanced}, a list of weights, or null when unset. */
    default String getClassWeights() {
        return isDefined(classWeights()) ? getOrDefault(classWeights()) : null;
    }

    default DoubleArrayParam dropout() {
        return paramSet().get(DROPOUT);
    }

    default double[] getDropout() {
        return getOrDefault(dropout());
    }

    default Param<String> precision() {
        return paramSet().get(PRECISION);
    }

    default String getPrecision() {
        return getOrDefault(precision());
    }

    default Param<String> stepMode() {
        return paramSet().get(STEP_MODE);
    }

    default String getStepMode() {
        return getOrDefault(stepMode());
    }

    default Param<Vector> initialWeights() {
        return paramSet().get(INITIAL_WEIGHTS);
    }

    /** The initial weights if set, else null (then they come from the seed). */
    default Vector getInitialWeights() {
        return isDefined(initialWeights()) ? getOrDefault(initialWeights()) : null;
    }

    /**
     * The estimators' setters, once for both: each returns the estimator's own type, so calls
     * chain from Java and Scala without casts.
     *
     * @param <T> the estimator that implements this
     */
    interface Setters<T extends Setters<T>> extends FeedForwardParams {

        /** Told of each epoch on the driver (progress lines, metrics files); not a param, not saved. */
        @SuppressWarnings("unchecked")
        default T setTrainingListener(TrainingListener l) {
            paramSet().fitOptions().listener = l;
            return (T) this;
        }

        /**
         * Continue from the newest checkpoint in checkpointDir rather than from the initial weights;
         * refused when the settings differ from the checkpoint's. Not a param, not saved.
         */
        @SuppressWarnings("unchecked")
        default T resumeFromCheckpoint(boolean value) {
            paramSet().fitOptions().resume = value;
            return (T) this;
        }

        @SuppressWarnings("unchecked")
        private T with(Param<?> param, Object value) {
            set((Param<Object>) param, value);
            return (T) this;
        }

        default T setHiddenLayers(int... widths) {
            return with(hiddenLayers(), widths);
        }

        default T setActivation(String value) {
            return with(activation(), value);
        }

        default T setLoss(String value) {
            return with(loss(), value);
        }

        default T setOptimizer(String value) {
            return with(optimizer(), value);
        }

        default T setStepSize(double value) {
            return with(stepSize(), value);
        }

        default T setBatchSize(int value) {
            return with(batchSize(), value);
        }

        default T setMaxEpochs(int value) {
            return with(maxEpochs(), value);
        }

        default T setSeed(long value) {
            return with(seed(), value);
        }

        default T setStandardize(boolean value) {
            return with(standardize(), value);
        }

        default T setMomentum(double value) {
            return with(momentum(), value);
        }

        default T setNesterov(boolean value) {
            return with(nesterov(), value);
        }

        default T setAdamBeta1(double value) {
            return with(adamBeta1(), value);
        }

        default T setAdamBeta2(double value) {
            return with(adamBeta2(), value);
        }

        default T setAdamEpsilon(double value) {
            return with(adamEpsilon(), value);
        }

        default T setRegParam(double value) {
            return with(regParam(), value);
        }

        default T setSchedule(String value) {
            return with(schedule(), value);
        }

        default T setDecayRate(double value) {
            return with(decayRate(), value);
        }

        default T setDecayEpochs(int value) {
            return with(decayEpochs(), value);
        }

        default T setWarmupEpochs(int value) {
            return with(warmupEpochs(), value);
        }

        default T setValidationFraction(double value) {
            return with(validationFraction(), value);
        }

        default T setValidationIndicatorCol(String value) {
            return with(validationIndicatorCol(), value);
        }

        default T setIdCol(String value) {
            return with(idCol(), value);
        }

        default T setEarlyStoppingPatience(int value) {
            return with(earlyStoppingPatience(), value);
        }

        default T setCheckpointDir(String value) {
            return with(checkpointDir(), value);
        }

        default T setCheckpointInterval(int value) {
            return with(checkpointInterval(), value);
        }

        default T setWeightCol(String value) {
            return with(weightCol(), value);
        }

        /** {@code balanced}, or one weight per class such as {@code 1,4}. */
        default T setClassWeights(String value) {
            return with(classWeights(), value);
        }

        /** One rate for every hidden layer, or one per hidden layer; 0 = off. */
        default T setDropout(double... rates) {
            return with(dropout(), rates);
        }

        default T setPrecision(String value) {
            return with(precision(), value);
        }

        default T setStepMode(String value) {
            return with(stepMode(), value);
        }

        default T setInitialWeights(Vector value) {
            return with(initialWeights(), value);
        }
    }
}
