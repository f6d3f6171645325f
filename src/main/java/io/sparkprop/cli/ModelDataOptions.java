package io.sparkprop.cli;

import picocli.CommandLine.Option;

/** The options evaluate and predict share: which model, which data, in which format. */
final class ModelDataOptions {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a model saved by train")
    String model;

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "the rows to score")
    String data;

    @Option(names = "--format", paramLabel = "F", description = "csv, libsvm, parquet or idx (default: from the path)")
    String format;
}
