package io.sparkprop.ml;

import io.sparkprop.data.Standardizer;
import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import io.sparkprop.nn.WeightInit;
import io.sparkprop.data.RowIdentity;
import io.sparkprop.spark.RowSplits;
import io.sparkprop.spark.SparkTrainer;
import io.sparkprop.train.CheckpointStore;
import io.sparkprop.train.TrainingListener;
import io.sparkprop.train.TrainingResult;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** The fitting both estimators share: sizes, statistics and encoding from the data, then the Spark trainer. */
final class NetworkFit {
    final TrainedNetwork network;
    final FeedForwardTrainingSummary summary;

    private NetworkFit(TrainedNetwork network, FeedForwardTrainingSummary summary) {
        this.network = network;
        this.summary = summary;
    }

    /** One output per label value: mean 0 / std 1 per output when standardising, else as they are. */
    static TargetEncoder regressionTargets(Dataset<Row> data, String labelCol, boolean standardize) {
        boolean vectorLabel = data.schema().apply(labelCol).dataType() instanceof org.apache.spark.ml.linalg.VectorUDT;
        int outputs = vectorLabel ? ((Vector) data.select(labelCol).first().get(0)).size() : 1;
        double[] means = new double[outputs];
        double[] scales = new double[outputs];
        java.util.Arrays.fill(scales, 1.0);
        if (standardize) {
            Row stats = vectorLabel
                    ? data.select(Summarizer.metrics("mean", "std").summary(functions.col(labelCol)).as("s"))
                            .select("s.mean", "s.std").first()
                    : data.agg(functions.avg(labelCol), functions.stddev_samp(labelCol)).first();
            for (int j = 0; j < outputs; j++) {
                double mean = vectorLabel ? ((Vector) stats.get(0)).apply(j) : stats.getDouble(0);
                double std = vectorLabel ? ((Vector) stats.get(1)).apply(j) : stats.isNullAt(1) ? 0 : stats.getDouble(1);
                means[j] = Double.isFinite(mean) ? mean : 0.0;
                scales[j] = std > 0 && Double.isFinite(std) ? std : 1.0;
            }
        }
        return TargetEncoder.regression(means, scales);
    }

    static NetworkFit fit(Dataset<?> dataset, FeedForwardParams p, String featuresCol, String labelCol,
                          boolean classifier, TrainingListener listener, boolean resume) {
        @SuppressWarnings("unchecked")
        Dataset<Row> all = (Dataset<Row>) dataset.toDF();
        Dataset<Row> data;
        Dataset<Row> validation = null;
        String idCol = p.getIdCol();
        if (idCol != null && !java.util.Arrays.asList(all.columns()).contains(idCol)) {
            throw new IllegalArgumentException("no idCol '" + idCol + "' among " + java.util.Arrays.toString(all.columns()));
        }
        Column[] columns = idCol == null
                ? new Column[] {functions.col(featuresCol), functions.col(labelCol)}
                : new Column[] {functions.col(featuresCol), functions.col(labelCol), functions.col(idCol)};
        String indicator = p.getValidationIndicatorCol();
        if (indicator != null) {
            if (!java.util.Arrays.asList(all.columns()).contains(indicator)) {
                throw new IllegalArgumentException("no validationIndicatorCol '" + indicator + "' among "
                        + java.util.Arrays.toString(all.columns()));
            }
            data = all.filter(functions.not(functions.col(indicator))).select(columns);
            validation = all.filter(functions.col(indicator)).select(featuresCol, labelCol);
        } else if (p.getValidationFraction() > 0) {
            // By each row's identity, not randomSplit: the same validation rows on any partitioning.
            Dataset<Row>[] split = RowSplits.split(all, featuresCol, labelCol, idCol, p.getSeed(),
                    RowIdentity.VALIDATION, p.getValidationFraction());
            data = split[0].select(columns);
            validation = split[1].select(featuresCol, labelCol);
        } else {
            data = all.select(columns);
        }
        java.util.List<Row> first = data.select(featuresCol).limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new IllegalArgumentException("training data has no rows");
        }
        if (first.get(0).isNullAt(0)) {
            throw new IllegalArgumentException("training data: row 1: features are null");
        }
        int inputWidth = ((Vector) first.get(0).get(0)).size();
        Loss loss = Loss.fromParam(p.getLoss());
        Activation hidden = Activation.fromParam(p.getActivation());

        Standardizer standardizer = null;
        TargetEncoder targets;
        if (p.getStandardize()) {
            Row stats = data.select(Summarizer.metrics("mean", "std").summary(functions.col(featuresCol)).as("s"))
                    .select("s.mean", "s.std").first();
            standardizer = new Standardizer(((Vector) stats.get(0)).toArray(), ((Vector) stats.get(1)).toArray());
        }
        if (classifier) {
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
            targets = TargetEncoder.classes(classes, loss);
        } else {
            targets = regressionTargets(data, labelCol, p.getStandardize());
        }

        int[] hiddenWidths = p.getHiddenLayers();
        int[] widths = new int[hiddenWidths.length + 2];
        widths[0] = inputWidth;
        System.arraycopy(hiddenWidths, 0, widths, 1, hiddenWidths.length);
        widths[widths.length - 1] = targets.width();
        Activation output = classifier && loss == Loss.QUADRATIC ? Activation.SIGMOID : Topology.defaultOutputFor(loss);
        Topology topology = new Topology(widths, hidden, output, loss);

        double[] initial;
        Vector given = p.getInitialWeights();
        if (given != null) {
            if (given.size() != topology.parameterCount()) {
                throw new IllegalArgumentException("initialWeights has " + given.size() + " values; network "
                        + topology + " needs " + topology.parameterCount());
            }
            initial = given.toArray();
        } else {
            initial = WeightInit.initialWeights(topology, p.getSeed());
        }

        SparkTrainer trainer = new SparkTrainer(topology, targets, standardizer, p.trainingConfig())
                .columns(featuresCol, labelCol).idCol(idCol);
        if (p.getCheckpointDir() != null) {
            trainer.checkpoints(new CheckpointStore(java.nio.file.Path.of(p.getCheckpointDir()), 3),
                    p.getCheckpointInterval(), resume);
        } else if (resume) {
            throw new IllegalArgumentException("resume needs checkpointDir to be set");
        }
        TrainingResult result = trainer.train(data, validation, initial, listener);
        return new NetworkFit(new TrainedNetwork(topology, result.weights(), standardizer, targets),
                new FeedForwardTrainingSummary(result.history(), result.bestEpoch()));
    }
}
