package io.sparkprop.ml;

import io.sparkprop.data.Standardizer;
import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Backprop;
import io.sparkprop.nn.Topology;
import java.io.Serializable;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;

/**
 * What a fitted model is: the topology, the flat weights, the feature standardisation (if any)
 * and the target encoding. Predicts one row at a time with a per-thread buffer, since Spark
 * calls a model's predict from many task threads; {@link BlockedRows} predicts whole partitions.
 */
final class TrainedNetwork implements Serializable {
    private static final long serialVersionUID = 1L;

    final Topology topology;
    final double[] weights;
    final Standardizer standardizer; // null: features used as they are
    final TargetEncoder targets;
    private transient ThreadLocal<RowBuffers> buffers;

    TrainedNetwork(Topology topology, double[] weights, Standardizer standardizer, TargetEncoder targets) {
        if (weights.length != topology.parameterCount()) {
            throw new IllegalArgumentException("network " + topology + " needs " + topology.parameterCount()
                    + " weights, got " + weights.length);
        }
        if (standardizer != null && standardizer.width() != topology.inputWidth()) {
            throw new IllegalArgumentException("standardisation is for " + standardizer.width()
                    + " features, the network takes " + topology.inputWidth());
        }
        targets.checkFits(topology);
        this.topology = topology;
        this.weights = weights;
        this.standardizer = standardizer;
        this.targets = targets;
    }

    private static final class RowBuffers {
        final Backprop backprop;
        final double[] row;
        final double[] x;
        double[] out; // A_L of the last row, inside the Backprop's buffers

        RowBuffers(Topology t) {
            backprop = new Backprop(t, 1);
            row = new double[t.inputWidth()];
            x = new double[t.inputWidth()];
        }
    }

    /** Runs one row forward in this thread's buffers, which then hold A_L and Z_L until the next row. */
    private RowBuffers forward(Vector features) {
        if (buffers == null) {
            buffers = ThreadLocal.withInitial(() -> new RowBuffers(topology));
        }
        RowBuffers b = buffers.get();
        networkInput(features, b.row, b.x, 0);
        b.out = b.backprop.forward(weights, b.x, 0, 1);
        return b;
    }

    /**
     * Writes what the first layer sees of one row, the features standardised if the model was
     * trained so, into {@code x} at {@code xOff}; {@code row} (n_0) is scratch space.
     */
    private void networkInput(Vector features, double[] row, double[] x, int xOff) {
        dense(features, row);
        standardized(row, x, xOff);
    }

    /** The features, checked against the input width, written into {@code row} (n_0) with their zeros. */
    void dense(Vector features, double[] row) {
        checkWidth(features.size());
        if (features instanceof DenseVector d) {
            System.arraycopy(d.values(), 0, row, 0, row.length);
        } else {
            SparseVector s = (SparseVector) features;
            java.util.Arrays.fill(row, 0.0);
            for (int i = 0; i < s.indices().length; i++) {
                row[s.indices()[i]] = s.values()[i];
            }
        }
    }

    /** Throws unless a row of {@code size} features fits the network's input. */
    void checkWidth(int size) {
        if (size != topology.inputWidth()) {
            throw new IllegalArgumentException("features have " + size + " values; the model takes "
                    + topology.inputWidth());
        }
    }

    /** The dense features {@code row} (n_0) standardised if the model was trained so, into {@code x} at {@code xOff}. */
    void standardized(double[] row, double[] x, int xOff) {
        if (standardizer != null) {
            standardizer.apply(row, x, xOff);
        } else {
            System.arraycopy(row, 0, x, xOff, row.length);
        }
    }

    /** A_L for one row (a copy). */
    double[] outputs(Vector features) {
        return java.util.Arrays.copyOf(forward(features).out, topology.outputWidth());
    }

    /** Z_L for one row (a copy): the output layer before its activation. */
    double[] scores(Vector features) {
        RowBuffers b = forward(features);
        return java.util.Arrays.copyOf(b.backprop.outputScores(), topology.outputWidth());
    }
}
