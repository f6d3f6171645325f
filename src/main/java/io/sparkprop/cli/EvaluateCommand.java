package io.sparkprop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.data.InputException;
import io.sparkprop.ml.FeedForwardClassificationModel;
import io.sparkprop.spark.InputFormats;
import io.sparkprop.spark.LabeledFrame;
import io.sparkprop.spark.TableEncoding;
import java.util.List;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score a saved model on labelled data: accuracy, log loss, per-class precision/recall/F1 and"
                + " the confusion matrix for a classifier; RMSE, MAE and R^2 for a regressor.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelDataOptions source;

    @Option(names = "--label", paramLabel = "COL", description = "the label column (default: the model's)")
    String label;

    @Option(names = "--json", description = "print the metrics as one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SparkSession spark = Sessions.get("sparkprop evaluate");
        PredictionModel<Vector, ?> m = ModelFolder.load(spark, source.model);
        String labelCol = label != null ? label : m.getLabelCol();
        TableEncoding encoding = TableEncoding.load(source.model, spark.sparkContext().hadoopConfiguration());
        LabeledFrame input = ModelInputs.read(spark, m, encoding, source.data, source.format, labelCol, true);
        if (!input.hasLabel()) {
            throw new InputException(input.source() + ": no label column '" + labelCol + "' among "
                    + input.inputColumns() + " (use --label)");
        }
        var predictions = m.setFeaturesCol(InputFormats.FEATURES).transform(input.frame());
        Map<String, Object> metrics;
        String text;
        if (m instanceof FeedForwardClassificationModel c) {
            Evaluation.requireClassLabels(input, c.numClasses());
            Evaluation.Classification e = Evaluation.classification(predictions, labelCol, c.numClasses(),
                    encoding == null ? List.of() : encoding.classNames());
            metrics = e.toMap();
            text = e.toText();
        } else {
            Evaluation.Regression e = Evaluation.regression(predictions, labelCol);
            metrics = e.toMap();
            text = e.toText();
        }
        out.print(json ? new ObjectMapper().writeValueAsString(metrics) + "\n" : text);
        out.flush();
        return 0;
    }
}
