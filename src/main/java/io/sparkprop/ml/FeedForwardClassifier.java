package io.sparkprop.ml;

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
        implements FeedForwardParams.Setters<FeedForwardClassifier>, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "feedForwardClassifier";

    private String uid;
    private final FeedForwardParamSet ps;

    public FeedForwardClassifier() {
        this(PendingUid.random(PREFIX));
    }

    public FeedForwardClassifier(String uid) {
        this(PendingUid.set(uid));
    }

    private FeedForwardClassifier(Void pending) {
        super();
        uid();
        ps = new FeedForwardParamSet(this, Task.CLASSIFICATION);
    }

    @Override
    public String uid() {
        return uid != null ? uid : (uid = PendingUid.take(PREFIX));
    }

    @Override
    public FeedForwardClassificationModel train(Dataset<?> dataset) {
        return new FeedForwardClassificationModel(uid(),
                NetworkFit.fit(dataset, this, Task.CLASSIFICATION, getFeaturesCol(), getLabelCol(), ps.fitOptions()));
    }

    @Override
    public FeedForwardClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<FeedForwardClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static FeedForwardClassifier load(String path) {
        return read().load(path);
    }

    @Override
    public FeedForwardParamSet paramSet() {
        return ps;
    }
}
