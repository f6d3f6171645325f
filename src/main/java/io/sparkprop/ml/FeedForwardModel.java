package io.sparkprop.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/**
 * What both fitted models offer beyond their Spark base class, written once: the weights, the
 * layer widths, the training summary and persistence, all read from the shared {@link ModelCore}.
 */
public interface FeedForwardModel extends FeedForwardParams, MLWritable {

    /** The network and summary this model delegates to (an implementation detail). */
    ModelCore core();

    /** The flat weights: per layer, W column-major (n_l x n_{l-1}) then b; Spark MLP's layout. */
    default Vector weights() {
        return Vectors.dense(core().network().weights.clone());
    }

    /** Full layer widths, input to output. */
    default int[] layers() {
        return core().network().topology.widths();
    }

    /**
     * Writes the whole prediction (standardisation, layers, output units and, for a regressor,
     * the target's units) as an ONNX file to {@code path}, on any Hadoop file system; a file
     * already there is replaced. The graph's inputs and outputs are {@link io.sparkprop.onnx.OnnxModel}'s.
     */
    default void exportOnnx(String path) {
        OnnxExport.write(core().network(), path);
    }

    default boolean hasSummary() {
        return core().summary() != null;
    }

    /** The loss (and validation metric) per epoch of the fit that made this model. */
    default FeedForwardTrainingSummary summary() {
        FeedForwardTrainingSummary s = core().summary();
        if (s == null) {
            throw new IllegalStateException("no training summary: this model was loaded or copied, not fitted");
        }
        return s;
    }

    @Override
    default MLWriter write() {
        return new ModelIO.Writer(this, core().network());
    }
}
