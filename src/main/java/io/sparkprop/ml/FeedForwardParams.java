package io.sparkprop.ml;

import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.train.TrainingConfig;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The params shared by the feed-forward estimators and their models, documented once (in
 * {@link FeedForwardParamSet}, which also holds the defaults, taken from
 * {@link TrainingConfig#DEFAULTS}). The command line's conf keys are these names.
 */
public interface FeedForwardParams extends Params {

    /** The Param objects of this instance (an implementation detail; use the accessors below). */
    FeedForwardParamSet paramSet();

    default IntArrayParam hiddenLayers() {
        return paramSet().hiddenLayers;
    }

    default Param<String> activation() {
        return paramSet().activation;
    }

    default Param<String> loss() {
        return paramSet().loss;
    }

    default Param<String> optimizer() {
        return paramSet().optimizer;
    }

    default DoubleParam stepSize() {
        return paramSet().stepSize;
    }

    default IntParam batchSize() {
        return paramSet().batchSize;
    }

    default IntParam maxEpochs() {
        return paramSet().maxEpochs;
    }

    default LongParam seed() {
        return paramSet().seed;
    }

    default BooleanParam standardize() {
        return paramSet().standardize;
    }

    default Param<Vector> initialWeights() {
        return paramSet().initialWeights;
    }

    default DoubleParam momentum() {
        return paramSet().momentum;
    }

    default DoubleParam regParam() {
        return paramSet().regParam;
    }

    default int[] getHiddenLayers() {
        return getOrDefault(hiddenLayers());
    }

    default String getActivation() {
        return getOrDefault(activation());
    }

    default String getLoss() {
        return getOrDefault(loss());
    }

    default String getOptimizer() {
        return getOrDefault(optimizer());
    }

    default double getStepSize() {
        return (Double) getOrDefault(stepSize());
    }

    default int getBatchSize() {
        return (Integer) getOrDefault(batchSize());
    }

    default int getMaxEpochs() {
        return (Integer) getOrDefault(maxEpochs());
    }

    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    default DoubleParam validationFraction() {
        return paramSet().validationFraction;
    }

    default Param<String> validationIndicatorCol() {
        return paramSet().validationIndicatorCol;
    }

    default Param<String> idCol() {
        return paramSet().idCol;
    }

    /** The id column if set, else null (rows are then known by their content). */
    default String getIdCol() {
        return isDefined(idCol()) ? getOrDefault(idCol()) : null;
    }

    default IntParam earlyStoppingPatience() {
        return paramSet().earlyStoppingPatience;
    }

    default BooleanParam nesterov() {
        return paramSet().nesterov;
    }

    default Param<String> schedule() {
        return paramSet().schedule;
    }

    default DoubleParam decayRate() {
        return paramSet().decayRate;
    }

    default IntParam decayEpochs() {
        return paramSet().decayEpochs;
    }

    default IntParam warmupEpochs() {
        return paramSet().warmupEpochs;
    }

    default Param<String> checkpointDir() {
        return paramSet().checkpointDir;
    }

    default IntParam checkpointInterval() {
        return paramSet().checkpointInterval;
    }

    /** The checkpoint folder if set, else null. */
    default String getCheckpointDir() {
        return isDefined(checkpointDir()) ? getOrDefault(checkpointDir()) : null;
    }

    default int getCheckpointInterval() {
        return (Integer) getOrDefault(checkpointInterval());
    }

    default boolean getNesterov() {
        return (Boolean) getOrDefault(nesterov());
    }

    default String getSchedule() {
        return getOrDefault(schedule());
    }

    default double getDecayRate() {
        return (Double) getOrDefault(decayRate());
    }

    default int getDecayEpochs() {
        return (Integer) getOrDefault(decayEpochs());
    }

    default int getWarmupEpochs() {
        return (Integer) getOrDefault(warmupEpochs());
    }

    default double getValidationFraction() {
        return (Double) getOrDefault(validationFraction());
    }

    /** The validation indicator column if set, else null. */
    default String getValidationIndicatorCol() {
        return isDefined(validationIndicatorCol()) ? getOrDefault(validationIndicatorCol()) : null;
    }

    default int getEarlyStoppingPatience() {
        return (Integer) getOrDefault(earlyStoppingPatience());
    }

    default boolean getStandardize() {
        return (Boolean) getOrDefault(standardize());
    }

    /** The initial weights if set, else null (then they come from the seed). */
    default Vector getInitialWeights() {
        return isDefined(initialWeights()) ? getOrDefault(initialWeights()) : null;
    }

    default double getMomentum() {
        return (Double) getOrDefault(momentum());
    }

    default double getRegParam() {
        return (Double) getOrDefault(regParam());
    }

    /** The training settings these params describe. */
    default TrainingConfig trainingConfig() {
        return TrainingConfig.DEFAULTS.withMaxEpochs(getMaxEpochs()).withBatchSize(getBatchSize())
                .withStepSize(getStepSize()).withSeed(getSeed()).withOptimizer(getOptimizer())
                .withMomentum(getMomentum(), getNesterov()).withRegParam(getRegParam())
                .withEarlyStoppingPatience(getEarlyStoppingPatience())
                .withSchedule(new LearningRateSchedule(getSchedule(), getDecayRate(), getDecayEpochs(),
                        getWarmupEpochs()));
    }
}
