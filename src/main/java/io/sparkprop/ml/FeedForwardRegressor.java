package io.sparkprop.ml;

import io.sparkprop.train.TrainingListener;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A feed-forward network regressor trained by data-parallel backpropagation on Spark, with
 * identity outputs and the quadratic cost. A numeric label gives one output; a vector label
 * gives one output per value, and then {@code prediction} is a vector too. With
 * {@code standardize} (the default) each target is scaled to mean 0 and std 1 for training and
 * scaled back in predictions.
 * Params: see {@link FeedForwardParams}.
 */
public class FeedForwardRegressor
        extends Regressor<Vector, FeedForwardRegressor, FeedForwardRegressionModel>
        implements FeedForwardParams, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "feedForwardRegressor";

    private String uid;
    private final FeedForwardParamSet ps;
    private transient TrainingListener listener = TrainingListener.NONE;
    private transient boolean resume;

    public FeedForwardRegressor() {
        this(PendingUid.random(PREFIX));
    }

    public FeedForwardRegressor(String uid) {
        this(PendingUid.set(uid));
    }

    private FeedForwardRegressor(Void pending) {
        super();
        uid();
        ps = new FeedForwardParamSet(this, false);
        ps.setDefaults(this, false);
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = PendingUid.take(PREFIX);
        }
        return uid;
    }

    @Override
    public FeedForwardRegressionModel train(Dataset<?> dataset) {
        NetworkFit fit = NetworkFit.fit(dataset, this, getFeaturesCol(), getLabelCol(), false,
                listener == null ? TrainingListener.NONE : listener, resume);
        FeedForwardRegressionModel model = new FeedForwardRegressionModel(uid(), fit.network);
        model.setSummary(fit.summary);
        return model;
    }

    /** A vector label means one output per value: Predictor's numeric-label check and cast do not apply. */
    @Override
    public FeedForwardRegressionModel fit(Dataset<?> dataset) {
        if (!hasVectorLabel(dataset.schema())) {
            return super.fit(dataset);
        }
        transformSchema(dataset.schema());
        FeedForwardRegressionModel model = train(dataset);
        model.setParent(this);
        return copyValues(model, extractParamMap());
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if (!hasVectorLabel(schema)) {
            return super.transformSchema(schema);
        }
        if (!(schema.apply(getFeaturesCol()).dataType() instanceof VectorUDT)) {
            throw new IllegalArgumentException("features column '" + getFeaturesCol() + "' must be a vector");
        }
        return schema.add(getPredictionCol(), new VectorUDT(), false);
    }

    private boolean hasVectorLabel(StructType schema) {
        return java.util.Arrays.asList(schema.fieldNames()).contains(getLabelCol())
                && schema.apply(getLabelCol()).dataType() instanceof VectorUDT;
    }

    @Override
    public FeedForwardRegressor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** Told of each epoch on the driver (progress lines, metrics files); not a param, not saved. */
    public FeedForwardRegressor setTrainingListener(TrainingListener l) {
        this.listener = l;
        return this;
    }

    /**
     * Continue from the newest checkpoint in checkpointDir rather than from the initial weights;
     * refused when the settings differ from the checkpoint's. Not a param, not saved.
     */
    public FeedForwardRegressor resumeFromCheckpoint(boolean value) {
        this.resume = value;
        return this;
    }

    public FeedForwardRegressor setCheckpointDir(String value) {
        return (FeedForwardRegressor) set(ps.checkpointDir, value);
    }

    public FeedForwardRegressor setCheckpointInterval(int value) {
        return (FeedForwardRegressor) set(ps.checkpointInterval, value);
    }

    public static MLReader<FeedForwardRegressor> read() {
        return new DefaultParamsReader<>();
    }

    public static FeedForwardRegressor load(String path) {
        return read().load(path);
    }

    // Setters return this class, so calls chain from Java and Scala without casts.

    public FeedForwardRegressor setHiddenLayers(int... widths) {
        return (FeedForwardRegressor) set(ps.hiddenLayers, widths);
    }

    public FeedForwardRegressor setActivation(String value) {
        return (FeedForwardRegressor) set(ps.activation, value);
    }

    public FeedForwardRegressor setLoss(String value) {
        return (FeedForwardRegressor) set(ps.loss, value);
    }

    public FeedForwardRegressor setOptimizer(String value) {
        return (FeedForwardRegressor) set(ps.optimizer, value);
    }

    public FeedForwardRegressor setStepSize(double value) {
        return (FeedForwardRegressor) set(ps.stepSize, value);
    }

    public FeedForwardRegressor setBatchSize(int value) {
        return (FeedForwardRegressor) set(ps.batchSize, value);
    }

    public FeedForwardRegressor setMaxEpochs(int value) {
        return (FeedForwardRegressor) set(ps.maxEpochs, value);
    }

    public FeedForwardRegressor setSeed(long value) {
        return (FeedForwardRegressor) set(ps.seed, value);
    }

    public FeedForwardRegressor setStandardize(boolean value) {
        return (FeedForwardRegressor) set(ps.standardize, value);
    }

    public FeedForwardRegressor setInitialWeights(Vector value) {
        return (FeedForwardRegressor) set(ps.initialWeights, value);
    }

    public FeedForwardRegressor setMomentum(double value) {
        return (FeedForwardRegressor) set(ps.momentum, value);
    }

    public FeedForwardRegressor setRegParam(double value) {
        return (FeedForwardRegressor) set(ps.regParam, value);
    }

    public FeedForwardRegressor setValidationFraction(double value) {
        return (FeedForwardRegressor) set(ps.validationFraction, value);
    }

    public FeedForwardRegressor setValidationIndicatorCol(String value) {
        return (FeedForwardRegressor) set(ps.validationIndicatorCol, value);
    }

    public FeedForwardRegressor setIdCol(String value) {
        return (FeedForwardRegressor) set(ps.idCol, value);
    }

    public FeedForwardRegressor setEarlyStoppingPatience(int value) {
        return (FeedForwardRegressor) set(ps.earlyStoppingPatience, value);
    }

    public FeedForwardRegressor setNesterov(boolean value) {
        return (FeedForwardRegressor) set(ps.nesterov, value);
    }

    public FeedForwardRegressor setSchedule(String value) {
        return (FeedForwardRegressor) set(ps.schedule, value);
    }

    public FeedForwardRegressor setDecayRate(double value) {
        return (FeedForwardRegressor) set(ps.decayRate, value);
    }

    public FeedForwardRegressor setDecayEpochs(int value) {
        return (FeedForwardRegressor) set(ps.decayEpochs, value);
    }

    public FeedForwardRegressor setWarmupEpochs(int value) {
        return (FeedForwardRegressor) set(ps.warmupEpochs, value);
    }

    @Override
    public FeedForwardParamSet paramSet() {
        return ps;
    }
}
