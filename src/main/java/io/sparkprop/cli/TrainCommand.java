package io.sparkprop.cli;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkprop.data.InputException;
import io.sparkprop.data.RowIdentity;
import io.sparkprop.ml.FeedForwardModel;
import io.sparkprop.ml.FeedForwardParams;
import io.sparkprop.ml.Task;
import io.sparkprop.spark.InputFormats;
import io.sparkprop.spark.LabeledFrame;
import io.sparkprop.spark.MissingCells;
import io.sparkprop.spark.RowSplits;
import io.sparkprop.spark.TableEncoding;
import io.sparkprop.spark.TablePlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
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

    @Option(names = "--markdown", description = "with --help-keys: print README's key table (Markdown)")
    boolean markdown;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (helpKeys && markdown) {
            out.print(ConfigKeys.markdownTable());
            return 0;
        }
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
        Task task = job.task();
        FeedForwardParams.Setters<?> estimator = task.newEstimator();
        job.applyTo(estimator); // bad values fail before Spark starts
        String modelPath = modelDir != null ? modelDir : job.get("output.model");
        String reportPath = job.get("output.report");

        MissingCells missing = MissingCells.of(job.get("data.missing"));
        SparkSession spark = Sessions.get("sparkprop train " + job.name());
        String label = job.get("data.label");
        String trainPath = job.require("data.train");
        TablePlan plan = TablePlan.detect(spark, trainPath, job.get("data.format"), job.getList("data.categorical"),
                missing);
        LabeledFrame input = InputFormats.read(spark, trainPath, job.get("data.format"), label,
                job.get("data.features"), -1, notFeatures(job), plan);
        if (!input.hasLabel()) {
            throw new InputException(input.source() + ": no label column '" + label + "' among "
                    + input.inputColumns() + " (set data.label)");
        }
        if (!task.hasClasses() && plan.isText(label)) {
            throw new InputException(input.source() + ": label column '" + label + "' holds text; a regression"
                    + " needs numbers (task=classification takes text labels as class names)");
        }
        Dataset<Row> all = input.frame();
        if (!plan.plain()) { // the rows' identity for the held-out split, before anything changes them
            all = all.withColumn(TrainingTable.ROW_KEY, functions.xxhash64(input.inputColumns().stream().map(functions::col)
                    .toArray(org.apache.spark.sql.Column[]::new)));
        }
        if (job.getInt("data.partitions") > 0) {
            all = all.repartition(job.getInt("data.partitions"));
        }
        CachedInput cached = new CachedInput();
        all = cached.cache(all); // files are parsed once, not once per check
        // Parsed in one parallel pass, so that the cached partitions spread over the executors. The
        // first check's limit(1) would otherwise parse them one task at a time, each on whichever
        // executor was free first, and everything after would follow the cache to that executor.
        all.count();
        try {
            return train(job, task, input, plan, all, cached, estimator, modelPath, reportPath, spark, out);
        } finally {
            cached.release();
        }
    }

    private int train(JobConfig job, Task task, LabeledFrame input, TablePlan plan, Dataset<Row> rows,
                      CachedInput cached, FeedForwardParams.Setters<?> estimator, String modelPath, String reportPath,
                      SparkSession spark, PrintWriter out) {
        String idCol = estimator.getIdCol();
        if (idCol != null && !java.util.Arrays.asList(rows.columns()).contains(idCol)) {
            throw new InputException("key idCol: no column '" + idCol + "' in " + input.source() + " (columns: "
                    + input.inputColumns() + ")");
        }
        if (job.has("data.weight") && plan.isText(job.get("data.weight"))) {
            throw new InputException(input.source() + ": column '" + job.get("data.weight") + "' holds text; a"
                    + " weight (data.weight) is a number >= 0");
        }
        TrainingTable table = plan.plain() ? TrainingTable.plain(rows, idCol)
                : TrainingTable.fit(input.withFrame(rows), plan, notFeatures(job), idCol, estimator.getSeed(),
                job.has("data.test") ? 0 : job.getDouble("data.testFraction"), cached);
        return train(job, task, input, table.encoding(), table.rows(), table.splitKey(), table.headerLine(), cached,
                estimator, modelPath, reportPath, spark, out);
    }

    private int train(JobConfig job, Task task, LabeledFrame input, TableEncoding encoding, Dataset<Row> all,
                      String splitKey, String tableLine, CachedInput cached, FeedForwardParams.Setters<?> estimator,
                      String modelPath, String reportPath, SparkSession spark, PrintWriter out) {
        String label = input.labelCol();
        if (task.hasClasses()) {
            Evaluation.requireClassLabels(input.withFrame(all), 0);
        }
        long seed = estimator.getSeed();
        String idCol = estimator.getIdCol();
        List<String> classNames = encoding == null ? List.of() : encoding.classNames();
        String weight = job.has("data.weight") ? job.get("data.weight") : null;
        List<String> notFeatures = notFeatures(job);
        if (weight != null) {
            if (!java.util.Arrays.asList(all.columns()).contains(weight)) {
                throw new InputException("key data.weight: no column '" + weight + "' in " + input.source()
                        + " (columns: " + input.inputColumns() + ")");
            }
            Evaluation.requireWeights(input.withFrame(all), weight);
            estimator.setWeightCol(weight);
        }
        Dataset<Row> train;
        Dataset<Row> test;
        LabeledFrame testInput = null;
        if (job.has("data.test")) {
            train = all;
            LabeledFrame t = TableInputs.read(spark, encoding, job.get("data.test"), job.get("data.format"), label,
                    job.get("data.features"), -1, notFeatures);
            if (!t.hasLabel()) {
                throw new InputException(t.source() + ": no label column '" + label + "' among " + t.inputColumns());
            }
            test = t.frame();
            testInput = t;
        } else {
            double f = job.getDouble("data.testFraction");
            // By each row's identity, not randomSplit: the same test rows on any data.partitions.
            Dataset<Row>[] split = RowSplits.split(all, InputFormats.FEATURES, label, splitKey, seed, RowIdentity.TEST,
                    f);
            train = split[0];
            test = f > 0 ? split[1] : null;
        }
        List<String> kept = new java.util.ArrayList<>(List.of(InputFormats.FEATURES, label));
        if (idCol != null) {
            kept.add(idCol);
        }
        if (weight != null) {
            kept.add(weight);
        }
        train = train.selectExpr(kept.stream().map(c -> "`" + c + "`").toArray(String[]::new));
        Dataset<Row> fitData = train;
        if (job.has("data.validation")) {
            // Explicit validation rows: fitted with the training rows, marked so the estimator holds them out.
            LabeledFrame v = TableInputs.read(spark, encoding, job.get("data.validation"), job.get("data.format"),
                    label, job.get("data.features"), -1, notFeatures);
            if (!v.hasLabel()) {
                throw new InputException(v.source() + ": no label column '" + label + "' among " + v.inputColumns());
            }
            Dataset<Row> marked = v.frame().select(InputFormats.FEATURES, label);
            if (idCol != null) { // validation rows are only scored; they need no identity
                marked = marked.withColumn(idCol, functions.lit(null).cast(train.schema().apply(idCol).dataType()));
            }
            if (weight != null) { // weighted as their file says, or 1 each
                marked = marked.withColumn(weight, java.util.Arrays.asList(v.frame().columns()).contains(weight)
                        ? v.frame().col(weight).cast("double") : functions.lit(1.0));
            }
            fitData = train.withColumn(VALIDATION_MARK, functions.lit(false))
                    .union(marked.withColumn(VALIDATION_MARK, functions.lit(true)));
            estimator.set(estimator.validationIndicatorCol(), VALIDATION_MARK);
        }
        long rows = train.count();
        if (rows == 0) {
            throw new InputException(input.source() + ": no data rows to train on");
        }
        int features = ((org.apache.spark.ml.linalg.Vector) train.first().get(0)).size();
        String classes = "";
        if (task.hasClasses()) {
            Row max = train.agg(functions.max(label)).first();
            classes = String.format(Locale.ROOT, " | %d classes", classNames.isEmpty()
                    ? (int) ((Number) max.get(0)).doubleValue() + 1 : classNames.size());
        }
        out.printf(Locale.ROOT, "sparkprop train %s | BLAS %s | master %s | %,d training rows%s | %d features%s"
                        + " | %d partitions%n", job.name(), blasDescription(), spark.sparkContext().master(), rows,
                test == null ? "" : job.has("data.test") ? ", test from " + job.get("data.test")
                        : String.format(Locale.ROOT, " (%.0f%% held out for test)", 100 * job.getDouble("data.testFraction")),
                features, classes, train.rdd().getNumPartitions());
        out.print(tableLine);
        out.flush();

        ProgressPrinter progress = new ProgressPrinter(out, task);
        Predictor<?, ?, ?> predictor = (Predictor<?, ?, ?>) estimator.resumeFromCheckpoint(resume)
                .setTrainingListener(progress.andThen(cached)); // the input's cache is let go once the blocks hold it
        predictor.set(predictor.featuresCol(), InputFormats.FEATURES);
        predictor.set(predictor.labelCol(), label);
        FeedForwardModel model = (FeedForwardModel) predictor.fit(fitData);
        TestScore score = test == null ? TestScore.NONE
                : TestScore.of(task, model, test, label, testInput, classNames);
        out.print(score.text());
        ModelFolder.save(spark, model, encoding, modelPath);
        String index = ReportUpload.write(new TrainingReport("sparkprop " + job.name(), model.summary().epochs(), task,
                score.metrics(), score.confusion(), classNames), reportPath,
                spark.sparkContext().hadoopConfiguration());
        out.printf("model saved to %s%nreport: %s%n", modelPath, index);
        return 0;
    }

    /** The columns read as columns but not as features: the sample weight (data.weight), if any. */
    private static List<String> notFeatures(JobConfig job) {
        return job.has("data.weight") ? List.of(job.get("data.weight")) : List.of();
    }

    /** The test rows' metrics as the task defines them: text for people, a map for JSON, the confusion matrix. */
    private record TestScore(String text, Map<String, Object> metrics, long[][] confusion) {
        static final TestScore NONE = new TestScore("", Map.of(), null);

        static TestScore of(Task task, FeedForwardModel model, Dataset<Row> test, String label,
                            LabeledFrame testInput, List<String> classNames) {
            Dataset<Row> predictions = ((Transformer) model).transform(test);
            return switch (task) {
                case CLASSIFICATION -> {
                    int classes = model.core().classCount();
                    if (testInput != null) {
                        Evaluation.requireClassLabels(testInput, classes);
                    }
                    Evaluation.Classification m = Evaluation.classification(predictions, label, classes, classNames);
                    yield new TestScore("test: " + m.toText(), m.toMap(), m.confusion());
                }
                case REGRESSION -> {
                    Evaluation.Regression m = Evaluation.regression(predictions, label);
                    yield new TestScore("test: " + m.toText(), m.toMap(), null);
                }
            };
        }
    }

    static String blasDescription() {
        String name = BLAS.getInstance().getClass().getSimpleName();
        if (name.equals("JNIBLAS")) {
            return "JNIBLAS (native)";
        }
        return name + " (Java; for native speed: apt-get install libopenblas0-pthread)";
    }
}
