package io.sparkprop.ml;

import io.sparkprop.nn.Backprop;
import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * A model's {@code transform} over whole partitions: the rows go through the network
 * {@link #BLOCK_ROWS} at a time, in training's forward pass (one matrix-matrix product per layer
 * per block), where a per-row UDF would do one matrix-vector product per row and read every
 * weight once per row. Each output row is the input row followed by the new columns.
 */
final class BlockedRows {
    /** Rows per forward pass: large enough for BLAS to reuse each weight many times, small enough to stay in cache. */
    static final int BLOCK_ROWS = 256;

    private BlockedRows() {
    }

    /** The new columns of one row, from its column of the block's outputs. */
    interface Columns extends Serializable {
        /**
         * @param a A_L of the block (n_L x rows, column-major)
         * @param z Z_L of the block, the output layer before its unit (same layout)
         * @param c the row's column in the block
         */
        Object[] of(double[] a, double[] z, int c);
    }

    /**
     * {@code data} with the columns of {@code outSchema} beyond its own appended, each computed by
     * {@code columns} from the network's outputs for the row's {@code featuresCol}.
     */
    static Dataset<Row> transform(Dataset<?> data, String featuresCol, StructType outSchema, TrainedNetwork network,
                                  Columns columns) {
        int featuresAt = data.schema().fieldIndex(featuresCol);
        int added = outSchema.size() - data.schema().size();
        MapPartitionsFunction<Row, Row> perPartition =
                rows -> new BlockIterator(rows, network, featuresCol, featuresAt, added, columns);
        return data.toDF().mapPartitions(perPartition, Encoders.row(outSchema));
    }

    /** Pulls a block of input rows, runs it forward, then hands out its rows one by one. */
    private static final class BlockIterator implements Iterator<Row> {
        private final Iterator<Row> input;
        private final TrainedNetwork network;
        private final String featuresCol;
        private final int featuresAt;
        private final int added;
        private final Columns columns;
        private final Backprop backprop;
        private final Row[] block = new Row[BLOCK_ROWS];
        private final double[] row;
        private final double[] x;   // n_0 x BLOCK_ROWS, column-major: row c is x[c*n0 .. (c+1)*n0)
        private double[] a;         // A_L of the current block, inside the Backprop's buffers
        private int size;
        private int next;

        BlockIterator(Iterator<Row> input, TrainedNetwork network, String featuresCol, int featuresAt, int added,
                      Columns columns) {
            this.input = input;
            this.network = network;
            this.featuresCol = featuresCol;
            this.featuresAt = featuresAt;
            this.added = added;
            this.columns = columns;
            int n0 = network.topology.inputWidth();
            this.backprop = new Backprop(network.topology, BLOCK_ROWS);
            this.row = new double[n0];
            this.x = new double[n0 * BLOCK_ROWS];
        }

        @Override
        public boolean hasNext() {
            if (next < size) {
                return true;
            }
            fill();
            return size > 0;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row in = block[next];
            Object[] out = columns.of(a, backprop.outputScores(), next);
            if (out.length != added) {
                throw new IllegalStateException(out.length + " new columns computed for a schema that adds " + added);
            }
            Object[] values = new Object[in.length() + added];
            for (int i = 0; i < in.length(); i++) {
                values[i] = in.get(i);
            }
            System.arraycopy(out, 0, values, in.length(), added);
            block[next++] = null;
            return RowFactory.create(values);
        }

        private void fill() {
            int n0 = network.topology.inputWidth();
            size = 0;
            next = 0;
            while (size < BLOCK_ROWS && input.hasNext()) {
                Row r = input.next();
                if (r.isNullAt(featuresAt)) {
                    throw new IllegalArgumentException("a row has no features: null in column '" + featuresCol + "'");
                }
                network.networkInput((Vector) r.get(featuresAt), row, x, size * n0);
                block[size++] = r;
            }
            if (size > 0) {
                a = backprop.forward(network.weights, x, 0, size);
            }
        }
    }
}
