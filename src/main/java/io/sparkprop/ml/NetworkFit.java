package io.sparkprop.ml;

import io.sparkprop.data.RowIdentity;
import io.sparkprop.data.Standardizer;
import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Dropout;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Precision;
import io.sparkprop.nn.Topology;
import io.sparkprop.nn.WeightInit;
import io.sparkprop.spark.HadoopFileStore;
import io.sparkprop.spark.RowSplits;
import io.sparkprop.spark.SparkTrainer;
import io.sparkprop.train.CheckpointStore;
import io.sparkprop.train.TrainingListener;
import io.sparkprop.train.TrainingResult;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The one fit path of both estimators: sizes, statistics and target encoding from the data (the
 * {@link Task} says what targets are), then the Spark trainer.
 */
final class NetworkFit {
    /** The weight the trainer sees when classWeights multiplies the rows' own. */
    private static final String ROW_WEIGHT = "_sparkprop_row_weight";

    private NetworkFit() {
    }

    /** How to fit that is not a param: not saved with the estimator, not copied. */
    static final class Options {
        TrainingListener listener = TrainingListener.NONE;
        boolean resume;
    }

    /** Fits a network to {@code dataset} as the params say; the result holds the fit's summary. */
    static ModelCore fit(Dataset<?> dataset, FeedForwardParams p, Task task, String featuresCol, String labelCol,
                         Options options) {
        TrainingListener listener = options.listener == null ? TrainingListener.NONE : options.listener;
        boolean resume = options.resume;
        @SuppressWarnings("unchecked")
        Dataset<Row> all = (Dataset<Row>) dataset.toDF();
        Dataset<Row> data;
        Dataset<Row> validation = null;
        String idCol = p.getIdCol();
        if (idCol != null && !java.util.Arrays.asList(all.columns()).contains(idCol)) {
            throw new IllegalArgumentException("no idCol '" + idCol + "' among " + java.util.Arrays.toString(all.columns()));
        }
        String weightCol = p.getWeightCol();
        if (weightCol != null && !java.util.Arrays.asList(all.columns()).contains(weightCol)) {
            throw new IllegalArgumentException("no weightCol '" + weightCol + "' among "
                    + java.util.Arrays.toString(all.columns()));
        }
        if (p.getClassWeights() != null && task != Task.CLASSIFICATION) {
            throw new IllegalArgumentException("classWeights is for classification; a regression has no classes");
        }
        List<Column> kept = new java.util.ArrayList<>(List.of(functions.col(featuresCol),
                functions.col(labelCol)));
        if (idCol != null) {
            kept.add(functions.col(idCol));
        }
        if (weightCol != null) {
            kept.add(functions.col(weightCol));
        }
        Column[] columns = kept.toArray(new Column[0]);
        Column[] validationColumns = weightCol == null
                ? new Column[] {functions.col(featuresCol), functions.col(labelCol)}
                : new Column[] {functions.col(featuresCol), functions.col(labelCol), functions.col(weightCol)};
        String indicator = p.getValidationIndicatorCol();
        if (indicator != null) {
            if (!java.util.Arrays.asList(all.columns()).contains(indicator)) {
                throw new IllegalArgumentException("no validationIndicatorCol '" + indicator + "' among "
                        + java.util.Arrays.toString(all.columns()));
            }
            data = all.filter(functions.not(functions.col(indicator))).select(columns);
            validation = all.filter(functions.col(indicator)).select(validationColumns);
        } else if (p.getValidationFraction() > 0) {
            // By each row's identity, not randomSplit: the same validation rows on any partitioning.
            Dataset<Row>[] split = RowSplits.split(all, featuresCol, labelCol, idCol, p.getSeed(),
                    RowIdentity.VALIDATION, p.getValidationFraction());
            data = split[0].select(columns);
            validation = split[1].select(validationColumns);
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
        if (p.getStandardize()) {
            Row stats = data.select(Summarizer.metrics("mean", "std").summary(functions.col(featuresCol)).as("s"))
                    .select("s.mean", "s.std").first();
            standardizer = new Standardizer(((Vector) stats.get(0)).toArray(), ((Vector) stats.get(1)).toArray());
        }
        TargetEncoder targets = task.targets(data, labelCol, loss, p.getStandardize());

        int[] hiddenWidths = p.getHiddenLayers();
        int[] widths = new int[hiddenWidths.length + 2];
        widths[0] = inputWidth;
        System.arraycopy(hiddenWidths, 0, widths, 1, hiddenWidths.length);
        widths[widths.length - 1] = targets.width();
        Activation output = task.outputActivation(loss);
        Topology topology = new Topology(widths, hidden, output, loss);
        new Dropout(p.getDropout()).checkFits(topology);

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

        String rowWeight = weightCol;
        if (p.getClassWeights() != null) {
            // Counted on the training rows; validation rows take the same factors.
            double[] perClass = ClassWeights.of(p.getClassWeights(), data, labelCol, targets.classCount());
            Column base = weightCol == null ? functions.lit(1.0) : functions.col(weightCol);
            rowWeight = ROW_WEIGHT;
            data = data.withColumn(ROW_WEIGHT, ClassWeights.rowWeight(base, functions.col(labelCol), perClass));
            if (validation != null) {
                validation = validation.withColumn(ROW_WEIGHT,
                        ClassWeights.rowWeight(base, functions.col(labelCol), perClass));
            }
        }
        SparkTrainer trainer = new SparkTrainer(topology, targets, standardizer, p.trainingConfig())
                .columns(featuresCol, labelCol).idCol(idCol).weightCol(rowWeight)
                .precision(Precision.fromParam(p.getPrecision()))
                .residentSteps("resident".equals(p.getStepMode()));
        if (p.getCheckpointDir() != null) {
            trainer.checkpoints(new CheckpointStore(new HadoopFileStore(p.getCheckpointDir(),
                    data.sparkSession().sparkContext().hadoopConfiguration()), 3),
                    p.getCheckpointInterval(), resume);
        } else if (resume) {
            throw new IllegalArgumentException("resume needs checkpointDir to be set");
        }
        TrainingResult result = trainer.train(data, validation, initial, listener);
        ModelCore core = new ModelCore(task, new TrainedNetwork(topology, result.weights(), standardizer, targets));
        core.setSummary(new FeedForwardTrainingSummary(result.history(), result.bestEpoch()));
        return core;
    }
}
