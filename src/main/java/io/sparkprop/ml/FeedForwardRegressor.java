package io.sparkprop.ml;

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
        implements FeedForwardParams.Setters<FeedForwardRegressor>, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "feedForwardRegressor";

    private String uid;
    private final FeedForwardParamSet ps;

    public FeedForwardRegressor() {
        this(PendingUid.random(PREFIX));
    }

    public FeedForwardRegressor(String uid) {
        this(PendingUid.set(uid));
    }

    private FeedForwardRegressor(Void pending) {
        super();
        uid();
        ps = new FeedForwardParamSet(this, Task.REGRESSION);
    }

    @Override
    public String uid() {
        return uid != null ? uid : (uid = PendingUid.take(PREFIX));
    }

    @Override
    public FeedForwardRegressionModel train(Dataset<?> dataset) {
        return new FeedForwardRegressionModel(uid(),
                NetworkFit.fit(dataset, this, Task.REGRESSION, getFeaturesCol(), getLabelCol(), ps.fitOptions()));
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

    public static MLReader<FeedForwardRegressor> read() {
        return new DefaultParamsReader<>();
    }

    public static FeedForwardRegressor load(String path) {
        return read().load(path);
    }

    @Override
    public FeedForwardParamSet paramSet() {
        return ps;
    }
}
