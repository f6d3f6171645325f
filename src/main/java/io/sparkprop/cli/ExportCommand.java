package io.sparkprop.cli;

import io.sparkprop.data.InputException;
import io.sparkprop.ml.FeedForwardModel;
import io.sparkprop.onnx.OnnxModel;
import io.sparkprop.spark.TableEncoding;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a saved model as a file to serve outside Spark: ONNX (opset " + OnnxModel.OPSET
                + "), input 'features' float32 [N, features]; outputs 'label' int64 [N] and 'probabilities'"
                + " float32 [N, classes] for a classifier, 'prediction' float32 [N, outputs] for a regressor.")
final class ExportCommand implements Callable<Integer> {
    static final java.util.List<String> FORMATS = java.util.List.of("onnx");

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a model saved by train")
    String model;

    @Option(names = "--format", paramLabel = "F", defaultValue = "onnx", description = "onnx (the only one so far)")
    String format;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "the file to write (replaced"
            + " if it exists)")
    String output;

    @Override
    public Integer call() {
        if (!FORMATS.contains(format)) {
            throw new InputException("--format " + format + ": unknown export format; expected one of " + FORMATS);
        }
        PrintWriter out = spec.commandLine().getOut();
        SparkSession spark = Sessions.get("sparkprop export");
        FeedForwardModel m = (FeedForwardModel) ModelFolder.load(spark, model);
        TableEncoding encoding = TableEncoding.load(model, spark.sparkContext().hadoopConfiguration());
        if (encoding != null && encoding.transformsCells()) {
            // The graph would take the encoded vector, which only Spark's fitted stages can make.
            throw new InputException("model folder " + model + " was trained on a table with text columns, text"
                    + " labels or imputed cells (its table/ encoding); ONNX export takes models whose features"
                    + " are the table's numbers as they are");
        }
        m.exportOnnx(output);
        out.println("exported " + model + " to " + output + " (ONNX, opset " + OnnxModel.OPSET + ")");
        out.flush();
        return 0;
    }
}
