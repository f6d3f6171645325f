package io.sparkprop.cli;

import io.sparkprop.data.InputException;
import io.sparkprop.ml.FeedForwardClassificationModel;
import io.sparkprop.ml.FeedForwardClassifier;
import io.sparkprop.ml.FeedForwardParams;
import io.sparkprop.ml.FeedForwardRegressionModel;
import io.sparkprop.ml.FeedForwardRegressor;
import io.sparkprop.nn.Backprop;
import io.sparkprop.spark.InputFormats;
import io.sparkprop.spark.LabeledFrame;
import io.sparkprop.train.EpochStats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a network as a job's properties file says, report on held-out data, save the model.")
final class TrainCommand implements Callable<Integer> {
    private static final String VALIDATION_MARK = "_sparkprop_validation";

    @Spec
    CommandSpec spec;

    @Option(names = "--conf", paramLabel = "FILE", description = "the job's properties file, e.g. conf/default.properties")
    Path conf;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one key of the conf file (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--model", paramLabel = "DIR", description = "where to save the model (overrides output.model)")
    String modelDir;

    @Option(names = "--resume", description = "continue from the newest checkpoint in checkpointDir (the settings"
            + " must be the checkpoint's)")
    boolean resume;

    @Option(names = "--help-keys", description = "list every conf key with its default and meaning, then exit")
    boolean helpKeys;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (helpKeys) {
            for (ConfigKeys.Key k : ConfigKeys.all()) {
                out.printf("%-22s %-28s %s%n", k.name(), k.defaultValue(), k.doc());
            }
            return 0;
        }
        if (conf == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--conf=FILE'");
        }
        JobConfig job = JobConfig.load(conf, sets);
        if (resume && !job.has("checkpointDir")) {
            throw new InputException("--resume needs the key checkpointDir in " + job.source());
        }
        boolean classification = job.isClassification();
        FeedForwardClassifier classifier = classification ? new FeedForwardClassifier() : null;
        FeedForwardRegressor regressor = classification ? null : new FeedForwardRegressor();
        job.applyTo(classification ? classifier : regressor); // bad values fail before Spark starts
        String modelPath = modelDir != null ? modelDir : job.get("output.model");
        String reportPath = job.get("output.report");

        SparkSession spark = Sessions.get("sparkprop train " + job.name());
        String label = job.get("data.label");
        LabeledFrame input = InputFormats.read(spark, job.require("data.train"), job.get("data.format"), label,
                job.get("data.features"), -1);
        if (!input.hasLabel()) {
            throw new InputException(input.source() + ": no label column '" + label + "' among "
                    + input.inputColumns() + " (set data.label)");
        }
        Dataset<Row> all = input.frame();
        if (job.getInt("data.partitions") > 0) {
            all = all.repartition(job.getInt("data.partitions"));
        }
        all = all.persist(StorageLevel.MEMORY_AND_DISK()); // files are parsed once, not once per check
        try {
            return train(job, input, all, classification ? classifier : regressor, modelPath, reportPath, spark, out);
        } finally {
            all.unpersist(false);
        }
    }

    private int train(JobConfig job, LabeledFrame input, Dataset<Row> all, FeedForwardParams estimator,
                      String modelPath, String reportPath, SparkSession spark, PrintWriter out) {
        boolean classification = job.isClassification();
        String label = input.labelCol();
        if (classification) {
            Evaluation.requireClassLabels(new LabeledFrame(all, input.source(), label, true, input.inputColumns(),
                    input.hasLineNumbers()), 0);
        }
        long seed = estimator.getSeed();
        Dataset<Row> train;
        Dataset<Row> test;
        LabeledFrame testInput = null;
        if (job.has("data.test")) {
            train = all;
            LabeledFrame t = InputFormats.read(spark, job.get("data.test"), job.get("data.format"), label,
                    job.get("data.features"), -1);
            if (!t.hasLabel()) {
                throw new InputException(t.source() + ": no label column '" + label + "' among " + t.inputColumns());
            }
            test = t.frame();
            testInput = t;
        } else {
            double f = job.getDouble("data.testFraction");
            Dataset<Row>[] split = all.randomSplit(new double[] {1 - f, f}, seed);
            train = split[0];
            test = f > 0 ? split[1] : null;
        }
        train = train.select(InputFormats.FEATURES, label);
        Dataset<Row> fitData = train;
        if (job.has("data.validation")) {
            // Explicit validation rows: fitted with the training rows, marked so the estimator holds them out.
            LabeledFrame v = InputFormats.read(spark, job.get("data.validation"), job.get("data.format"), label,
                    job.get("data.features"), -1);
            if (!v.hasLabel()) {
                throw new InputException(v.source() + ": no label column '" + label + "' among " + v.inputColumns());
            }
            fitData = train.withColumn(VALIDATION_MARK, functions.lit(false))
                    .union(v.frame().select(InputFormats.FEATURES, label).withColumn(VALIDATION_MARK, functions.lit(true)));
            estimator.set(estimator.validationIndicatorCol(), VALIDATION_MARK);
        }
        long rows = train.count();
        if (rows == 0) {
            throw new InputException(input.source() + ": no data rows to train on");
        }
        int features = ((org.apache.spark.ml.linalg.Vector) train.first().get(0)).size();
        String classes = "";
        if (classification) {
            Row max = train.agg(functions.max(label)).first();
            classes = String.format(Locale.ROOT, " | %d classes", (int) ((Number) max.get(0)).doubleValue() + 1);
        }
        out.printf(Locale.ROOT, "sparkprop train %s | BLAS %s | master %s | %,d training rows%s | %d features%s"
                        + " | %d partitions%n", job.name(), blasDescription(), spark.sparkContext().master(), rows,
                test == null ? "" : job.has("data.test") ? ", test from " + job.get("data.test")
                        : String.format(Locale.ROOT, " (%.0f%% held out for test)", 100 * job.getDouble("data.testFraction")),
                features, classes, train.rdd().getNumPartitions());
        out.flush();

        ProgressPrinter progress = new ProgressPrinter(out, classification);
        Map<String, Object> testMetrics;
        long[][] confusion = null;
        List<EpochStats> history;
        if (estimator instanceof FeedForwardClassifier classifier) {
            FeedForwardClassificationModel model = classifier.resumeFromCheckpoint(resume).setFeaturesCol(InputFormats.FEATURES)
                    .setLabelCol(label).setTrainingListener(progress).fit(fitData);
            history = model.summary().epochs();
            if (test != null) {
                if (testInput != null) {
                    Evaluation.requireClassLabels(testInput, model.numClasses());
                }
                Evaluation.Classification m = Evaluation.classification(model.transform(test), label,
                        model.numClasses());
                out.print("test: " + m.toText());
                testMetrics = m.toMap();
                confusion = m.confusion();
            } else {
                testMetrics = Map.of();
            }
            ModelFolder.save(spark, model, modelPath);
        } else {
            FeedForwardRegressor regressor = (FeedForwardRegressor) estimator;
            FeedForwardRegressionModel model = regressor.resumeFromCheckpoint(resume).setFeaturesCol(InputFormats.FEATURES).setLabelCol(label)
                    .setTrainingListener(progress).fit(fitData);
            history = model.summary().epochs();
            if (test != null) {
                Evaluation.Regression m = Evaluation.regression(model.transform(test), label);
                out.print("test: " + m.toText());
                testMetrics = m.toMap();
            } else {
                testMetrics = Map.of();
            }
            ModelFolder.save(spark, model, modelPath);
        }
        String index = ReportUpload.write(new TrainingReport("sparkprop " + job.name(), history, classification,
                testMetrics, confusion), reportPath, spark.sparkContext().hadoopConfiguration());
        out.printf("model saved to %s%nreport: %s%n", modelPath, index);
        return 0;
    }

    static String blasDescription() {
        String name = Backprop.blasName();
        if (name.equals("JNIBLAS")) {
            return "JNIBLAS (native)";
        }
        return name + " (Java; for native speed: apt-get install libopenblas0-pthread)";
    }
}
