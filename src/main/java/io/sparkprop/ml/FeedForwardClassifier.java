package io.sparkprop.ml;

import io.sparkprop.train.TrainingListener;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * A feed-forward network classifier trained by data-parallel backpropagation on Spark: a
 * drop-in for MultilayerPerceptronClassifier in Pipelines, CrossValidator and persistence.
 * Labels are 0, 1, ..., K-1. Params: see {@link FeedForwardParams}.
 */
public class FeedForwardClassifier
        extends ProbabilisticClassifier<Vector, FeedForwardClassifier, FeedForwardClassificationModel>
        implements FeedForwardParams, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "feedForwardClassifier";

    private String uid;
    private final FeedForwardParamSet ps;
    private transient TrainingListener listener = TrainingListener.NONE;
    private transient boolean resume;

    public FeedForwardClassifier() {
        this(PendingUid.random(PREFIX));
    }

    public FeedForwardClassifier(String uid) {
        this(PendingUid.set(uid));
    }

    private FeedForwardClassifier(Void pending) {
        super();
        uid();
        ps = new FeedForwardParamSet(this, true);
        ps.setDefaults(this, true);
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = PendingUid.take(PREFIX);
        }
        return uid;
    }

    @Override
    public FeedForwardClassificationModel train(Dataset<?> dataset) {
        NetworkFit fit = NetworkFit.fit(dataset, this, getFeaturesCol(), getLabelCol(), true,
                listener == null ? TrainingListener.NONE : listener, resume);
        FeedForwardClassificationModel model = new FeedForwardClassificationModel(uid(), fit.network);
        model.setSummary(fit.summary);
        return model;
    }

    @Override
    public FeedForwardClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** Told of each epoch on the driver (progress lines, metrics files); not a param, not saved. */
    public FeedForwardClassifier setTrainingListener(TrainingListener l) {
        this.listener = l;
        return this;
    }

    /**
     * Continue from the newest checkpoint in checkpointDir rather than from the initial weights;
     * refused when the settings differ from the checkpoint's. Not a param, not saved.
     */
    public FeedForwardClassifier resumeFromCheckpoint(boolean value) {
        this.resume = value;
        return this;
    }

    public FeedForwardClassifier setCheckpointDir(String value) {
        return (FeedForwardClassifier) set(ps.checkpointDir, value);
    }

    public FeedForwardClassifier setCheckpointInterval(int value) {
        return (FeedForwardClassifier) set(ps.checkpointInterval, value);
    }

    public static MLReader<FeedForwardClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static FeedForwardClassifier load(String path) {
        return read().load(path);
    }

    // Setters return this class, so calls chain from Java and Scala without casts.

    public FeedForwardClassifier setHiddenLayers(int... widths) {
        return (FeedForwardClassifier) set(ps.hiddenLayers, widths);
    }

    public FeedForwardClassifier setActivation(String value) {
        return (FeedForwardClassifier) set(ps.activation, value);
    }

    public FeedForwardClassifier setLoss(String value) {
        return (FeedForwardClassifier) set(ps.loss, value);
    }

    public FeedForwardClassifier setOptimizer(String value) {
        return (FeedForwardClassifier) set(ps.optimizer, value);
    }

    public FeedForwardClassifier setStepSize(double value) {
        return (FeedForwardClassifier) set(ps.stepSize, value);
    }

    public FeedForwardClassifier setBatchSize(int value) {
        return (FeedForwardClassifier) set(ps.batchSize, value);
    }

    public FeedForwardClassifier setMaxEpochs(int value) {
        return (FeedForwardClassifier) set(ps.maxEpochs, value);
    }

    public FeedForwardClassifier setSeed(long value) {
        return (FeedForwardClassifier) set(ps.seed, value);
    }

    public FeedForwardClassifier setStandardize(boolean value) {
        return (FeedForwardClassifier) set(ps.standardize, value);
    }

    public FeedForwardClassifier setInitialWeights(Vector value) {
        return (FeedForwardClassifier) set(ps.initialWeights, value);
    }

    public FeedForwardClassifier setMomentum(double value) {
        return (FeedForwardClassifier) set(ps.momentum, value);
    }

    public FeedForwardClassifier setRegParam(double value) {
        return (FeedForwardClassifier) set(ps.regParam, value);
    }

    public FeedForwardClassifier setValidationFraction(double value) {
        return (FeedForwardClassifier) set(ps.validationFraction, value);
    }

    public FeedForwardClassifier setValidationIndicatorCol(String value) {
        return (FeedForwardClassifier) set(ps.validationIndicatorCol, value);
    }

    public FeedForwardClassifier setIdCol(String value) {
        return (FeedForwardClassifier) set(ps.idCol, value);
    }

    public FeedForwardClassifier setEarlyStoppingPatience(int value) {
        return (FeedForwardClassifier) set(ps.earlyStoppingPatience, value);
    }

    public FeedForwardClassifier setNesterov(boolean value) {
        return (FeedForwardClassifier) set(ps.nesterov, value);
    }

    public FeedForwardClassifier setSchedule(String value) {
        return (FeedForwardClassifier) set(ps.schedule, value);
    }

    public FeedForwardClassifier setDecayRate(double value) {
        return (FeedForwardClassifier) set(ps.decayRate, value);
    }

    public FeedForwardClassifier setDecayEpochs(int value) {
        return (FeedForwardClassifier) set(ps.decayEpochs, value);
    }

    public FeedForwardClassifier setWarmupEpochs(int value) {
        return (FeedForwardClassifier) set(ps.warmupEpochs, value);
    }

    @Override
    public FeedForwardParamSet paramSet() {
        return ps;
    }
}
