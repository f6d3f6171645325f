package io.sparkprop.ml;

import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Precision;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;

/**
 * A fitted {@link FeedForwardRegressor}: adds the {@code prediction} column in the label's units,
 * a double for one output, a vector for several.
 */
public class FeedForwardRegressionModel extends RegressionModel<Vector, FeedForwardRegressionModel>
        implements FeedForwardModel {
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "feedForwardRegressionModel";

    private String uid;
    private final FeedForwardParamSet ps;
    private final ModelCore core;
    private final TrainedNetwork network;

    FeedForwardRegressionModel(String uid, ModelCore core) {
        this(PendingUid.set(uid), core);
    }

    private FeedForwardRegressionModel(Void pending, ModelCore core) {
        super();
        uid();
        this.core = core;
        this.network = core.network();
        ps = new FeedForwardParamSet(this, Task.REGRESSION);
    }

    @Override
    public String uid() {
        return uid != null ? uid : (uid = PendingUid.take(PREFIX));
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

    /**
     * With several outputs, {@code prediction} is a vector column; with one, Spark's double column.
     * Computed a block of rows at a time ({@link BlockedRows}).
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType in = dataset.schema();
        StructType out = transformSchema(in);
        if (out.size() == in.size()) {
            return dataset.toDF(); // predictionCol set to "": nothing to add, as Spark's models do
        }
        int nL = numOutputs();
        TargetEncoder targets = network.targets; // not the model: its weights would travel in every task
        return BlockedRows.transform(dataset, getFeaturesCol(), out, network,
                Precision.fromParam(getPrecision()), (a, z, c) -> new Object[] {
            nL == 1 ? (Object) targets.decode(a, c) : Vectors.dense(targets.decodeValues(a, c * nL))
        });
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

    @Override
    public ModelCore core() {
        return core;
    }

    @Override
    public FeedForwardRegressionModel copy(ParamMap extra) {
        return copyValues(new FeedForwardRegressionModel(uid(), core.copy()), extra).setParent(parent());
    }

    public static MLReader<FeedForwardRegressionModel> read() {
        return new ModelIO.Reader<>(FeedForwardRegressionModel.class,
                (uid, network) -> new FeedForwardRegressionModel(uid, new ModelCore(Task.REGRESSION, network)));
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
        return core.describe("FeedForwardRegressionModel", uid());
    }
}
