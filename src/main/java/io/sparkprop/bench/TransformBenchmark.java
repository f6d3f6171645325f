package io.sparkprop.bench;

import io.sparkprop.ml.FeedForwardClassificationModel;
import io.sparkprop.nn.Precision;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Rows per second of {@code transform}: Spark MLP's model against sparkprop's model made from
 * it ({@link FeedForwardClassificationModel#fromSparkMlp}), so the network and weights are the
 * same and only the way rows go through them differs; and the same model predicting in float32.
 * Every output column is computed (a {@code noop} write), in interleaved rounds.
 */
final class TransformBenchmark {
    private static final int WARM_UP_ROUNDS = 3;

    private final PrintWriter out;

    TransformBenchmark(PrintWriter out) {
        this.out = out;
    }

    /**
     * @param train rows to fit the MLP on (two iterations: the weights only need to be non-trivial)
     * @param test  the cached rows to transform
     */
    Map<String, Object> run(Dataset<Row> train, Dataset<Row> test, int[] layers, int rounds) {
        MultilayerPerceptronClassificationModel mlp = new MultilayerPerceptronClassifier().setLayers(layers)
                .setSolver("gd").setMaxIter(2).setSeed(1).fit(train);
        FeedForwardClassificationModel ours = FeedForwardClassificationModel.fromSparkMlp(mlp);
        // The same weights predicting in float32, as a model trained in float32 does.
        FeedForwardClassificationModel oursFloat = ours.copy(ParamMap.empty());
        oursFloat.set(oursFloat.precision(), Precision.FLOAT32.paramName());
        long rows = test.count();
        double disagreement = disagreement(mlp, ours, test);
        double floatDisagreement = disagreement(mlp, oursFloat, test);
        for (int r = 0; r < WARM_UP_ROUNDS; r++) { // JIT, code generation: early rounds ran up to a third slower here
            time(mlp, test);
            time(ours, test);
            time(oursFloat, test);
        }
        List<Double> theirs = new ArrayList<>();
        List<Double> mine = new ArrayList<>();
        List<Double> mineFloat = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            theirs.add(time(mlp, test));
            mine.add(time(ours, test));
            mineFloat.add(time(oursFloat, test));
        }
        double theirsRate = rows / Benchmark.median(theirs);
        double oursRate = rows / Benchmark.median(mine);
        double floatRate = rows / Benchmark.median(mineFloat);
        out.printf(Locale.ROOT, "transform of %,d rows, %s, medians of %d: Spark MLP %,.0f rows/s; sparkprop float64"
                + " %,.0f rows/s (ratio %.2f, largest probability difference %.1e), float32 %,.0f rows/s (ratio %.2f,"
                + " %.1e)%n", rows, layersText(layers), rounds, theirsRate, oursRate, oursRate / theirsRate,
                disagreement, floatRate, floatRate / theirsRate, floatDisagreement);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("transformRows", rows);
        json.put("transformSparkpropRowsPerSecond", oursRate);
        json.put("transformSparkMlpRowsPerSecond", theirsRate);
        json.put("transformRatio", oursRate / theirsRate);
        json.put("transformLargestProbabilityDifference", disagreement);
        json.put("transformFloat32RowsPerSecond", floatRate);
        json.put("transformFloat32Ratio", floatRate / theirsRate);
        json.put("transformFloat32LargestProbabilityDifference", floatDisagreement);
        return json;
    }

    private static double time(Transformer model, Dataset<Row> test) {
        return Benchmark.secondsOf(() -> model.transform(test).write().format("noop").mode("overwrite").save());
    }

    /** The largest difference between the two models' probabilities over the test rows. */
    private static double disagreement(Transformer a, Transformer b, Dataset<Row> test) {
        List<Row> x = a.transform(test).select("probability").collectAsList();
        List<Row> y = b.transform(test).select("probability").collectAsList();
        double worst = 0;
        for (int i = 0; i < x.size(); i++) {
            Vector p = (Vector) x.get(i).get(0);
            Vector q = (Vector) y.get(i).get(0);
            for (int k = 0; k < p.size(); k++) {
                worst = Math.max(worst, Math.abs(p.apply(k) - q.apply(k)));
            }
        }
        return worst;
    }

    private static String layersText(int[] layers) {
        StringBuilder s = new StringBuilder();
        for (int w : layers) {
            s.append(s.length() == 0 ? "" : "-").append(w);
        }
        return s.toString();
    }
}
