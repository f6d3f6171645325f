package io.sparkprop.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/**
 * A fitted {@link FeedForwardRegressor}: adds the {@code prediction} column in the label's units,
 * a double for one output, a vector for several.
 */
public class FeedForwardRegressionModel extends RegressionModel<Vector, FeedForwardRegressionModel>
        implements FeedForwardParams, MLWritable {
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "feedForwardRegressionModel";

    private String uid;
    private final FeedForwardParamSet ps;
    private final TrainedNetwork network;
    private transient FeedForwardTrainingSummary summary;

    FeedForwardRegressionModel(String uid, TrainedNetwork network) {
        this(PendingUid.set(uid), network);
    }

    private FeedForwardRegressionModel(Void pending, TrainedNetwork network) {
        super();
        uid();
        if (network.targets.isClassification()) {
            throw new IllegalArgumentException("a regression model needs value targets, got classes");
        }
        this.network = network;
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
    public double predict(Vector features) {
        if (numOutputs() != 1) {
            throw new IllegalStateException("this model has " + numOutputs() + " outputs; use predictValues");
        }
        return network.targets.decode(network.outputs(features), 0);
    }

    /** Every output for one row, in the labels' units. */
    public Vector predictValues(Vector features) {
        return Vectors.dense(network.targets.decodeValues(network.outputs(features), 0));
    }

    /** How many values the model predicts per row. */
    public int numOutputs() {
        return network.topology.outputWidth();
    }

    /** With several outputs, {@code prediction} is a vector column; with one, Spark's double column. */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        if (numOutputs() == 1) {
            return super.transform(dataset);
        }
        transformSchema(dataset.schema());
        UserDefinedFunction values = functions.udf((UDF1<Vector, Vector>) this::predictValues, new VectorUDT());
        return dataset.withColumn(getPredictionCol(), values.apply(functions.col(getFeaturesCol())));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if (numOutputs() == 1) {
            return super.transformSchema(schema);
        }
        if (!(schema.apply(getFeaturesCol()).dataType() instanceof VectorUDT)) {
            throw new IllegalArgumentException("features column '" + getFeaturesCol() + "' must be a vector");
        }
        return schema.add(getPredictionCol(), new VectorUDT(), false);
    }

    @Override
    public int numFeatures() {
        return network.topology.inputWidth();
    }

    /** The flat weights: per layer, W column-major (n_l x n_{l-1}) then b. */
    public Vector weights() {
        return Vectors.dense(network.weights.clone());
    }

    /** Full layer widths, input to output. */
    public int[] layers() {
        return network.topology.widths();
    }

    public boolean hasSummary() {
        return summary != null;
    }

    /** The loss (and validation metric) per epoch of the fit that made this model. */
    public FeedForwardTrainingSummary summary() {
        if (summary == null) {
            throw new IllegalStateException("no training summary: this model was loaded or copied, not fitted");
        }
        return summary;
    }

    void setSummary(FeedForwardTrainingSummary s) {
        this.summary = s;
    }

    TrainedNetwork network() {
        return network;
    }

    @Override
    public FeedForwardRegressionModel copy(ParamMap extra) {
        FeedForwardRegressionModel copy = new FeedForwardRegressionModel(uid(), network);
        copyValues(copy, extra);
        copy.summary = summary;
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new ModelIO.Writer(this, network);
    }

    public static MLReader<FeedForwardRegressionModel> read() {
        return new ModelIO.Reader<>(FeedForwardRegressionModel.class, FeedForwardRegressionModel::new);
    }

    public static FeedForwardRegressionModel load(String path) {
        return read().load(path);
    }

    @Override
    public FeedForwardParamSet paramSet() {
        return ps;
    }

    @Override
    public String toString() {
        return "FeedForwardRegressionModel: uid=" + uid() + ", " + network.topology;
    }
}
