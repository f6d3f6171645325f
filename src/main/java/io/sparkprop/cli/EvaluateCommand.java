package io.sparkprop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.data.InputException;
import io.sparkprop.ml.FeedForwardClassificationModel;
import io.sparkprop.spark.LabeledFrame;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
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
        ModelInputs read = ModelInputs.read(Sessions.get("sparkprop evaluate"), source, label, true);
        LabeledFrame input = read.input();
        String labelCol = input.labelCol();
        if (!input.hasLabel()) {
            throw new InputException(input.source() + ": no label column '" + labelCol + "' among "
                    + input.inputColumns() + " (use --label)");
        }
        var predictions = read.predictions();
        Map<String, Object> metrics;
        String text;
        if (read.model() instanceof FeedForwardClassificationModel c) {
            Evaluation.requireClassLabels(input, c.numClasses());
            Evaluation.Classification e = Evaluation.classification(predictions, labelCol, c.numClasses(),
                    read.classNames());
            metrics = e.toMap();
            text = e.toText();
        } else {
            Evaluation.Regression e = Evaluation.regression(predictions, labelCol);
            metrics = e.toMap();
            text = e.toText();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? new ObjectMapper().writeValueAsString(metrics) + "\n" : text);
        out.flush();
        return 0;
    }
}
