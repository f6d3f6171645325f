package io.sparkprop.ml;

import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * What differs between classification and regression, in one object: which losses make sense
 * and the default one, what the targets are (the encoder, from the labels), the output unit,
 * the name of the per-epoch metric and which parts a report shows. It lives in {@code ml}
 * because reading the labels' statistics needs Spark.
 */
public enum Task {
    CLASSIFICATION("classification", "accuracy", "acc") {
        @Override
        public List<String> losses() {
            return List.of(Loss.CROSS_ENTROPY.paramName(), Loss.BINARY_CROSS_ENTROPY.paramName(),
                    Loss.QUADRATIC.paramName());
        }

        @Override
        public String lossDoc() {
            return "crossEntropy (softmax outputs), binaryCrossEntropy (one sigmoid output, two classes) or"
                    + " quadratic (sigmoid outputs against one-hot targets)";
        }

        @Override
        Activation outputActivation(Loss loss) {
            // The quadratic cost against one-hot targets needs outputs in [0, 1].
            return loss == Loss.QUADRATIC ? Activation.SIGMOID : Topology.defaultOutputFor(loss);
        }

        /** One output per class, K from the largest label (labels are 0..K-1). */
        @Override
        TargetEncoder targets(Dataset<Row> data, String labelCol, Loss loss, boolean standardize) {
            Row max = data.agg(functions.max(functions.col(labelCol).cast("double"))).first();
            double top = max.isNullAt(0) ? -1 : max.getDouble(0);
            if (!(top >= 0) || Double.isInfinite(top) || top > Integer.MAX_VALUE - 1) {
                throw new IllegalArgumentException("label column '" + labelCol + "': largest label is " + top
                        + "; class labels must be whole numbers 0, 1, ..., K-1");
            }
            int classes = (int) Math.floor(top) + 1;
            if (loss == Loss.BINARY_CROSS_ENTROPY && classes != 2) {
                throw new IllegalArgumentException("loss binaryCrossEntropy needs labels 0 and 1, but the largest is "
                        + top + "; use crossEntropy for " + classes + " classes");
            }
            return TargetEncoder.classes(classes, loss);
        }

        @Override
        public FeedForwardClassifier newEstimator() {
            return new FeedForwardClassifier();
        }

        @Override
        public boolean hasTrainingMetric() {
            return true;
        }

        @Override
        public boolean hasClasses() {
            return true;
        }
    },

    REGRESSION("regression", "RMSE", "rmse") {
        @Override
        public List<String> losses() {
            return List.of(Loss.QUADRATIC.paramName());
        }

        @Override
        public String lossDoc() {
            return "quadratic (identity outputs): the mean over samples of sum_j (a_j - y_j)^2";
        }

        @Override
        Activation outputActivation(Loss loss) {
            return Topology.defaultOutputFor(loss);
        }

        /** One output per label value: mean 0 / std 1 per output when standardising, else as they are. */
        @Override
        TargetEncoder targets(Dataset<Row> data, String labelCol, Loss loss, boolean standardize) {
            boolean vectorLabel = data.schema().apply(labelCol).dataType() instanceof VectorUDT;
            int outputs = vectorLabel ? ((Vector) data.select(labelCol).first().get(0)).size() : 1;
            double[] means = new double[outputs];
            double[] scales = new double[outputs];
            Arrays.fill(scales, 1.0);
            if (standardize) {
                Row stats = vectorLabel
                        ? data.select(Summarizer.metrics("mean", "std").summary(functions.col(labelCol)).as("s"))
                                .select("s.mean", "s.std").first()
                        : data.agg(functions.avg(labelCol), functions.stddev_samp(labelCol)).first();
                for (int j = 0; j < outputs; j++) {
                    double mean = vectorLabel ? ((Vector) stats.get(0)).apply(j) : stats.getDouble(0);
                    double std = vectorLabel ? ((Vector) stats.get(1)).apply(j)
                            : stats.isNullAt(1) ? 0 : stats.getDouble(1);
                    means[j] = Double.isFinite(mean) ? mean : 0.0;
                    scales[j] = std > 0 && Double.isFinite(std) ? std : 1.0;
                }
            }
            return TargetEncoder.regression(means, scales);
        }

        @Override
        public FeedForwardRegressor newEstimator() {
            return new FeedForwardRegressor();
        }

        @Override
        public boolean hasTrainingMetric() {
            return false;
        }

        @Override
        public boolean hasClasses() {
            return false;
        }
    };

    private final String paramName;
    private final String metricName;
    private final String metricAbbreviation;

    Task(String paramName, String metricName, String metricAbbreviation) {
        this.paramName = paramName;
        this.metricName = metricName;
        this.metricAbbreviation = metricAbbreviation;
    }

    /** The task by its conf name: classification or regression. */
    public static Task fromParam(String name) {
        for (Task t : values()) {
            if (t.paramName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is neither classification nor regression");
    }

    /** classification or regression: the value of the conf key {@code task}. */
    public String paramName() {
        return paramName;
    }

    /** The loss param's allowed values; the first is the default. */
    public abstract List<String> losses();

    public String defaultLoss() {
        return losses().get(0);
    }

    /** What the loss param means for this task. */
    public abstract String lossDoc();

    /** The output layer's unit for a loss. */
    abstract Activation outputActivation(Loss loss);

    /** How labels become the targets the output layer is trained against, from the training rows. */
    abstract TargetEncoder targets(Dataset<Row> data, String labelCol, Loss loss, boolean standardize);

    /** A new estimator for this task with every param at its default. */
    public abstract FeedForwardParams.Setters<?> newEstimator();

    /** Fails unless a fitted network's targets belong to this task. */
    void checkTargets(TargetEncoder targets) {
        if (targets.isClassification() != hasClasses()) {
            throw new IllegalArgumentException("a " + paramName + " model needs "
                    + (hasClasses() ? "class targets, got a regression" : "value targets, got classes"));
        }
    }

    /** The per-epoch validation metric: accuracy or RMSE. */
    public String metricName() {
        return metricName;
    }

    /** The metric's short name in a progress line: acc or rmse. */
    public String metricAbbreviation() {
        return metricAbbreviation;
    }

    /** Whether the training rows have a metric of their own each epoch (accuracy does; RMSE is not tracked). */
    public abstract boolean hasTrainingMetric();

    /** Whether labels are classes 0..K-1 (class checks, class count, confusion matrix). */
    public abstract boolean hasClasses();

    @Override
    public String toString() {
        return paramName.toLowerCase(Locale.ROOT);
    }
}
