package io.sparkprop.cli;

import io.sparkprop.data.InputException;
import io.sparkprop.ml.FeedForwardParams;
import io.sparkprop.spark.InputFormats;
import io.sparkprop.spark.LabeledFrame;
import io.sparkprop.train.EpochStats;
import io.sparkprop.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.Predictor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Time to accuracy of a job's recipe: trains as the conf file says, scores {@code data.test} after
 * every epoch as validation rows, and reports the training seconds (scoring excluded) at which
 * test accuracy first reaches the target, with the accuracy at the end. What a comparison with
 * another trainer on the same recipe needs (src/bench/fashion_pytorch.py is PyTorch's side).
 */
final class RecipeBenchmark {
    private static final String TEST_MARK = "_sparkprop_test";
    /** The name, on the console and in the JSON, of the runs without overrides (no --compare). */
    static final String AS_THE_FILE_SAYS = "as the file says";

    private final PrintWriter out;

    RecipeBenchmark(PrintWriter out) {
        this.out = out;
    }

    /**
     * One run of the recipe per entry of {@code variants} (each a list of KEY=VALUE overrides),
     * {@code rounds} times, interleaved.
     */
    Map<String, Object> run(SparkSession spark, Path conf, List<List<String>> variants, int rounds, double target) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("recipe", conf.toString());
        json.put("targetAccuracy", target);
        Map<String, List<Map<String, Object>>> runs = new LinkedHashMap<>();
        for (int r = 1; r <= rounds; r++) {
            for (List<String> sets : variants) {
                Map<String, Object> one = runOnce(spark, conf, sets, target);
                String name = sets.isEmpty() ? AS_THE_FILE_SAYS : String.join(" ", sets);
                runs.computeIfAbsent(name, k -> new ArrayList<>()).add(one);
                String toTarget = one.get("secondsToTarget") == null ? "(never)"
                        : String.format(Locale.ROOT, "%.1f", (Double) one.get("secondsToTarget"));
                out.printf(Locale.ROOT, "round %d, %s: %.1f%% test accuracy after %s s of training; %.4f at the"
                        + " end (%d epochs, %.1f s)%n", r, name, 100 * target, toTarget,
                        (Double) one.get("finalAccuracy"), one.get("epochs"), (Double) one.get("trainingSeconds"));
                out.flush();
            }
        }
        json.put("runs", runs);
        return json;
    }

    private Map<String, Object> runOnce(SparkSession spark, Path conf, List<String> sets, double target) {
        JobConfig job = JobConfig.load(conf, sets);
        if (!job.task().hasClasses()) {
            throw new InputException(conf + ": --recipe times a classification job (test accuracy)");
        }
        FeedForwardParams.Setters<?> estimator = job.task().newEstimator();
        job.applyTo(estimator);
        String label = job.get("data.label");
        LabeledFrame train = InputFormats.read(spark, job.require("data.train"), job.get("data.format"), label,
                job.get("data.features"), -1);
        LabeledFrame test = InputFormats.read(spark, job.require("data.test"), job.get("data.format"), label,
                job.get("data.features"), -1);
        Dataset<Row> rows = train.frame().select(InputFormats.FEATURES, label)
                .withColumn(TEST_MARK, functions.lit(false))
                .union(test.frame().select(InputFormats.FEATURES, label).withColumn(TEST_MARK, functions.lit(true)))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            rows.count(); // parsed before the clock starts, as a data loader would have done
            Clock clock = new Clock(target);
            estimator.set(estimator.validationIndicatorCol(), TEST_MARK);
            Predictor<?, ?, ?> predictor = (Predictor<?, ?, ?>) estimator.setTrainingListener(clock);
            predictor.set(predictor.featuresCol(), InputFormats.FEATURES);
            predictor.set(predictor.labelCol(), label);
            predictor.fit(rows);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("secondsToTarget", clock.secondsToTarget);
            one.put("epochToTarget", clock.epochToTarget);
            one.put("finalAccuracy", clock.lastAccuracy);
            one.put("epochs", clock.epochs);
            one.put("trainingSeconds", clock.trainingSeconds());
            one.put("secondsAtEpochEnd", clock.secondsAtEpochEnd);
            one.put("accuracyAtEpochEnd", clock.accuracyAtEpochEnd);
            return one;
        } finally {
            rows.unpersist(false);
        }
    }

    /** Training time with the test scoring taken out, and the first epoch that reaches the target. */
    private static final class Clock implements TrainingListener {
        private final double target;
        private long start;
        private long scoringStart;
        private long scoringNanos;
        Double secondsToTarget;
        Integer epochToTarget;
        double lastAccuracy = Double.NaN;
        int epochs;
        /** Training seconds when each epoch ended, as PyTorch's side prints them. */
        final List<Double> secondsAtEpochEnd = new ArrayList<>();
        /**
         * The test accuracy after each epoch: where the curve is flat near the target, the last
         * bits of a sum can move the epoch that first reaches it, and so the time.
         */
        final List<Double> accuracyAtEpochEnd = new ArrayList<>();

        Clock(double target) {
            this.target = target;
        }

        @Override
        public void onStart(long rows, int stepsPerEpoch, int maxEpochs) {
            start = System.nanoTime();
        }

        @Override
        public void onValidationStart(int epoch, int maxEpochs) {
            scoringStart = System.nanoTime();
        }

        @Override
        public void onEpoch(EpochStats stats, double[] weights) {
            scoringNanos += System.nanoTime() - scoringStart;
            epochs = stats.epoch();
            lastAccuracy = stats.validationMetric();
            secondsAtEpochEnd.add(Math.round(trainingSeconds() * 1000) / 1000.0);
            accuracyAtEpochEnd.add(lastAccuracy);
            if (secondsToTarget == null && lastAccuracy >= target) {
                secondsToTarget = trainingSeconds();
                epochToTarget = stats.epoch();
            }
        }

        double trainingSeconds() {
            return (System.nanoTime() - start - scoringNanos) / 1e9;
        }
    }
}
