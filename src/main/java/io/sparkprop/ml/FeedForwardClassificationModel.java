package io.sparkprop.ml;

import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Precision;
import io.sparkprop.nn.Softmax;
import io.sparkprop.nn.Topology;
import java.util.Arrays;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link FeedForwardClassifier}: adds {@code rawPrediction}, {@code probability} and
 * {@code prediction} columns. Raw scores are the output layer before its unit: Z_L for softmax
 * (probability = softmax(Z_L), as Spark's MLP), (-z, z) for one sigmoid output (probability
 * (s(-z), s(z))), and the sigmoid outputs for quadratic loss (probability = outputs / sum).
 */
public class FeedForwardClassificationModel
        extends ProbabilisticClassificationModel<Vector, FeedForwardClassificationModel>
        implements FeedForwardModel {
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "feedForwardClassificationModel";

    private String uid;
    private final FeedForwardParamSet ps;
    private final ModelCore core;
    private final TrainedNetwork network;

    FeedForwardClassificationModel(String uid, ModelCore core) {
        this(PendingUid.set(uid), core);
    }

    private FeedForwardClassificationModel(Void pending, ModelCore core) {
        super();
        uid();
        this.core = core;
        this.network = core.network();
        ps = new FeedForwardParamSet(this, Task.CLASSIFICATION);
    }

    @Override
    public String uid() {
        return uid != null ? uid : (uid = PendingUid.take(PREFIX));
    }

    /**
     * Takes over a Spark MLP (sigmoid hidden layers, softmax output): its weights use the same
     * flat layout, so they are used unchanged, and it predicts the same probabilities.
     */
    public static FeedForwardClassificationModel fromSparkMlp(MultilayerPerceptronClassificationModel mlp) {
        int[] layers = mlp.getLayers();
        Topology t = new Topology(layers, Activation.SIGMOID, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        TrainedNetwork network = new TrainedNetwork(t, mlp.weights().toArray(), null,
                TargetEncoder.classes(layers[layers.length - 1], Loss.CROSS_ENTROPY));
        FeedForwardClassificationModel model = new FeedForwardClassificationModel(mlp.uid(),
                new ModelCore(Task.CLASSIFICATION, network));
        int[] hidden = java.util.Arrays.copyOfRange(layers, 1, layers.length - 1);
        model.set(model.hiddenLayers(), hidden);
        model.set(model.activation(), Activation.SIGMOID.paramName());
        model.set(model.standardize(), false);
        model.setFeaturesCol(mlp.getFeaturesCol());
        model.setPredictionCol(mlp.getPredictionCol());
        model.setProbabilityCol(mlp.getProbabilityCol());
        model.setRawPredictionCol(mlp.getRawPredictionCol());
        return model;
    }

    @Override
    public int numClasses() {
        return network.targets.classCount();
    }

    @Override
    public int numFeatures() {
        return network.topology.inputWidth();
    }

    @Override
    public Vector predictRaw(Vector features) {
        if (network.topology.loss() == Loss.QUADRATIC) {
            return raw(network.topology, network.outputs(features), null, 0);
        }
        return raw(network.topology, null, network.scores(features), 0);
    }

    /** The raw scores of column c of a block's A_L and Z_L (n_L x rows): see the class comment. */
    private static Vector raw(Topology t, double[] a, double[] z, int c) {
        int nL = t.outputWidth();
        int off = c * nL;
        if (t.loss() == Loss.QUADRATIC) {
            return Vectors.dense(Arrays.copyOfRange(a, off, off + nL));
        }
        if (nL == 1) {
            return Vectors.dense(-z[off], z[off]);
        }
        return Vectors.dense(Arrays.copyOfRange(z, off, off + nL));
    }

    /**
     * Spark's columns and their meaning (raw scores, probabilities, the prediction with any
     * {@code thresholds}), computed a block of rows at a time ({@link BlockedRows}).
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType in = dataset.schema();
        StructType withOutputs = transformSchema(in); // the new columns and their metadata
        // In the order Spark's own transform adds them: raw scores, probabilities, prediction.
        String[] names = {getRawPredictionCol(), getProbabilityCol(), getPredictionCol()};
        int[] kinds = java.util.stream.IntStream.of(RAW, PROBABILITY, PREDICTION)
                .filter(kind -> !names[kind].isEmpty()).toArray();
        StructType out = in;
        for (int kind : kinds) {
            out = out.add(withOutputs.apply(names[kind]));
        }
        if (kinds.length == 0) {
            return dataset.toDF(); // every output column set to "": nothing to add, as Spark's models do
        }
        // The function below reads no field of the model, so the model's weights do not travel
        // in every task: BlockedRows sends them once per executor.
        Topology t = network.topology;
        double[] thresholds = thresholdsSet();
        if (thresholds != null && thresholds.length != numClasses()) {
            // Spark's own check, made on the driver: a short array would otherwise fail in a task.
            throw new IllegalArgumentException(getClass().getSimpleName() + ".transform() called with non-matching"
                    + " numClasses and thresholds.length. numClasses=" + numClasses()
                    + ", but thresholds has length " + thresholds.length);
        }
        return BlockedRows.transform(dataset, getFeaturesCol(), out, network,
                Precision.fromParam(getPrecision()), (a, z, c) -> {
            Vector raw = raw(t, a, z, c);
            Vector probability = probabilities(t, raw.copy());
            double prediction = prediction(probability, thresholds);
            Object[] values = new Object[kinds.length];
            for (int i = 0; i < kinds.length; i++) {
                values[i] = kinds[i] == RAW ? raw : kinds[i] == PROBABILITY ? probability : (Object) prediction;
            }
            return values;
        });
    }

    private static final int RAW = 0;
    private static final int PROBABILITY = 1;
    private static final int PREDICTION = 2;

    @Override
    public Vector raw2probabilityInPlace(Vector rawPrediction) {
        return probabilities(network.topology, rawPrediction);
    }

    /** The raw scores turned into probabilities in place: see the class comment. */
    private static Vector probabilities(Topology t, Vector rawPrediction) {
        double[] v = ((DenseVector) rawPrediction).values();
        if (t.loss() == Loss.QUADRATIC) {
            double sum = 0;
            for (double a : v) {
                sum += a;
            }
            for (int i = 0; i < v.length; i++) {
                v[i] = sum > 0 ? v[i] / sum : 1.0 / v.length;
            }
        } else if (t.outputWidth() == 1) {
            // s(-z), not 1 - s(z): a confident wrong answer keeps its tiny probability (and finite log loss).
            v[0] = Activation.sigmoid(v[0]);
            v[1] = Activation.sigmoid(v[1]);
        } else {
            Softmax.inPlace(v, 0, v.length);
        }
        return rawPrediction;
    }

    @Override
    public double probability2prediction(Vector probability) {
        return prediction(probability, thresholdsSet());
    }

    /** The {@code thresholds} param if set, else null; transform reads it once, not once per row. */
    private double[] thresholdsSet() {
        return isDefined(thresholds()) ? getThresholds() : null;
    }

    /**
     * Spark's rule: the class of the largest probability, or with {@code thresholds} (null: none)
     * the largest probability / threshold, the first one on a tie; a class whose threshold is 0
     * wins unless its probability is 0 too (0 / 0 is NaN, never the largest).
     */
    private static double prediction(Vector probability, double[] thresholds) {
        if (thresholds == null) {
            return probability.argmax();
        }
        int best = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < probability.size(); k++) {
            double scaled = probability.apply(k) / thresholds[k];
            if (scaled > max) {
                max = scaled;
                best = k;
            }
        }
        return best;
    }

    @Override
    public ModelCore core() {
        return core;
    }

    @Override
    public FeedForwardClassificationModel copy(ParamMap extra) {
        return copyValues(new FeedForwardClassificationModel(uid(), core.copy()), extra).setParent(parent());
    }

    public static MLReader<FeedForwardClassificationModel> read() {
        return new ModelIO.Reader<>(FeedForwardClassificationModel.class,
                (uid, network) -> new FeedForwardClassificationModel(uid, new ModelCore(Task.CLASSIFICATION, network)));
    }

    public static FeedForwardClassificationModel load(String path) {
        return read().load(path);
    }

    /** Resolves the two inherited signatures javac sees (Scala's covariant override); Spark's behaviour. */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    @Override
    public FeedForwardParamSet paramSet() {
        return ps;
    }

    @Override
    public String toString() {
        return core.describe("FeedForwardClassificationModel", uid());
    }
}
