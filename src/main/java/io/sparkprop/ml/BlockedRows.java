package io.sparkprop.ml;

import io.sparkprop.nn.Backprop;
import io.sparkprop.nn.FloatBackprop;
import io.sparkprop.nn.Precision;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.StructType;
import scala.Function1;

/**
 * A model's {@code transform} over whole partitions: the rows go through the network
 * {@link #BLOCK_ROWS} at a time, in training's forward pass (one matrix-matrix product per layer
 * per block), where a per-row UDF would do one matrix-vector product per row and read every
 * weight once per row. Each output row is the input row followed by the new columns.
 *
 * <p>Rows stay in Spark's internal form where Spark lets us ({@link InternalFrames}): an input
 * row is kept as its bytes and only the features column is read, so the other columns (and the
 * features themselves) are not turned into Java objects and back, which cost about as much as
 * the forward pass. Streaming inputs, and a Spark whose internals moved, take the public path
 * through {@link Row}s, with the same results.
 */
final class BlockedRows {
    /** Rows per forward pass: large enough for BLAS to reuse each weight many times, small enough to stay in cache. */
    static final int BLOCK_ROWS = 256;

    /** Tests set it to compare the public {@link Row} path with the internal one. */
    static boolean publicRowsOnly = false;

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
     * {@code columns} from the network's outputs for the row's {@code featuresCol}, the forward
     * pass in {@code precision}.
     *
     * <p>The network goes to the executors as a broadcast, fetched once by each executor, where
     * inside the function it would be serialized twice on the driver and read back by every task
     * (Spark's tree ensembles broadcast themselves in their transform for the same reason); so
     * {@code columns} must not hold the network either.
     */
    static Dataset<Row> transform(Dataset<?> data, String featuresCol, StructType outSchema, TrainedNetwork network,
                                  Precision precision, Columns columns) {
        StructType inSchema = data.schema();
        int featuresAt = inSchema.fieldIndex(featuresCol);
        int added = outSchema.size() - inSchema.size();
        Broadcast<TrainedNetwork> shipped = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext())
                .broadcast(network);
        RDD<InternalRow> internal = publicRowsOnly || data.isStreaming() ? null : InternalFrames.rows(data);
        if (internal == null) {
            MapPartitionsFunction<Row, Row> perPartition = rows -> new BlockIterator<>(rows, shipped.value(),
                    precision, featuresCol, new ExternalRows(featuresAt, added), columns, added);
            return data.toDF().mapPartitions(perPartition, Encoders.row(outSchema));
        }
        VectorUDT udt = (VectorUDT) inSchema.apply(featuresAt).dataType();
        FlatMapFunction<Iterator<InternalRow>, InternalRow> perPartition = rows -> new BlockIterator<>(rows,
                shipped.value(), precision, featuresCol, new CatalystRows(featuresAt, udt, outSchema, inSchema.size()),
                columns, added);
        RDD<InternalRow> out = internal.toJavaRDD().mapPartitions(perPartition).rdd();
        return InternalFrames.frame(data, out, outSchema);
    }

    /** How one kind of row gives its features and takes the new columns. */
    private interface RowKind<R> {
        boolean noFeatures(R row);

        /** Writes the row's features into {@code dense} (n_0 values), after {@link TrainedNetwork#checkWidth}. */
        void features(R row, TrainedNetwork network, double[] dense);

        /**
         * The row as it may be held until its block is done (the input may reuse its row
         * objects), as the block's {@code slot}-th row: the row held in that slot before, from
         * the block before, has been handed on.
         */
        R held(R row, int slot);

        R withColumns(R row, Object[] computed);
    }

    /** {@link Row}s: every column a Java object, as the public Dataset API hands them out. */
    private record ExternalRows(int featuresAt, int added) implements RowKind<Row> {
        @Override
        public boolean noFeatures(Row row) {
            return row.isNullAt(featuresAt);
        }

        @Override
        public void features(Row row, TrainedNetwork network, double[] dense) {
            network.dense((Vector) row.get(featuresAt), dense);
        }

        @Override
        public Row held(Row row, int slot) {
            return row;
        }

        @Override
        public Row withColumns(Row in, Object[] computed) {
            Object[] values = new Object[in.length() + added];
            for (int i = 0; i < in.length(); i++) {
                values[i] = in.get(i);
            }
            System.arraycopy(computed, 0, values, in.length(), added);
            return RowFactory.create(values);
        }
    }

    /**
     * Spark's internal rows: the input row's bytes are kept whole and joined to the new columns.
     * The features are read from the vector's stored form straight into the row buffer: no
     * {@link Vector} per row, and two passes over the values where there were four (the
     * vector's copy, the row's, the block's, the block's conversion to float).
     */
    private static final class CatalystRows implements RowKind<InternalRow> {
        // VectorUDT's stored form: (type, size, indices, values), type 0 sparse, 1 dense; size and
        // indices are null for a dense vector. It is the form of every saved Parquet file of
        // vectors, so Spark cannot change it.
        private static final int TYPE = 0;
        private static final int SIZE = 1;
        private static final int INDICES = 2;
        private static final int VALUES = 3;
        private static final byte SPARSE = 0;

        private final int featuresAt;
        private final int vectorFields; // VectorUDT.sqlType() builds a new StructType on every call
        private final Function1<Object, Object>[] toCatalyst;
        // The held copies of a block's rows, their bytes reused from block to block: a new array
        // per row took 8 to 17 ms of the tasks' time per 10,000 Fashion-MNIST rows, a reused one 2.
        private final UnsafeRow[] kept = new UnsafeRow[BLOCK_ROWS];

        @SuppressWarnings("unchecked")
        CatalystRows(int featuresAt, VectorUDT udt, StructType outSchema, int inWidth) {
            this.featuresAt = featuresAt;
            this.vectorFields = udt.sqlType().size();
            this.toCatalyst = new Function1[outSchema.size() - inWidth];
            for (int i = 0; i < toCatalyst.length; i++) {
                toCatalyst[i] = CatalystTypeConverters.createToCatalystConverter(outSchema.apply(inWidth + i).dataType());
            }
        }

        @Override
        public boolean noFeatures(InternalRow row) {
            return row.isNullAt(featuresAt);
        }

        @Override
        public void features(InternalRow row, TrainedNetwork network, double[] dense) {
            InternalRow vector = row.getStruct(featuresAt, vectorFields);
            ArrayData values = vector.getArray(VALUES);
            if (vector.getByte(TYPE) == SPARSE) {
                network.checkWidth(vector.getInt(SIZE));
                ArrayData indices = vector.getArray(INDICES);
                Arrays.fill(dense, 0.0);
                if (indices.numElements() != values.numElements()) {
                    throw new IllegalArgumentException("a sparse features vector has " + indices.numElements()
                            + " indices and " + values.numElements() + " values");
                }
                for (int k = 0; k < values.numElements(); k++) {
                    int i = indices.getInt(k);
                    if (i < 0 || i >= dense.length) {
                        throw new IllegalArgumentException("a sparse features vector has index " + i
                                + ", outside its size " + dense.length);
                    }
                    dense[i] = values.getDouble(k);
                }
            } else {
                network.checkWidth(values.numElements());
                for (int j = 0; j < dense.length; j++) {
                    dense[j] = values.getDouble(j);
                }
            }
        }

        @Override
        public InternalRow held(InternalRow row, int slot) {
            if (!(row instanceof UnsafeRow bytes)) {
                return row.copy();
            }
            // The rows handed on hold these bytes until the next block is read. Spark's own
            // operators reuse their output rows too (the UnsafeProjection that RDDScanExec puts
            // over this RDD writes each of our rows into one reused row), so whatever takes ours
            // copies what it keeps. For the same reason the RDD made here must never be persisted,
            // collected or handed out as it is: only through the plan that projects it.
            if (kept[slot] == null) {
                kept[slot] = bytes.copy();
            } else {
                kept[slot].copyFrom(bytes);
            }
            return kept[slot];
        }

        @Override
        public InternalRow withColumns(InternalRow in, Object[] computed) {
            Object[] values = new Object[toCatalyst.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = toCatalyst[i].apply(computed[i]);
            }
            return new JoinedRow(in, new GenericInternalRow(values));
        }
    }

    /** A block's forward pass at the model's weights, in one precision. */
    private interface BlockForward {
        /** Puts one row's dense features (n_0), standardised if the model was trained so, in column {@code col} of X. */
        void put(double[] dense, int col);

        /** A_L (n_L x cols, column-major) of X's first {@code cols} columns; valid until the next call. */
        double[] run(int cols);

        /** Z_L of the last {@link #run}, same layout. */
        double[] outputScores();

        static BlockForward of(TrainedNetwork network, Precision precision) {
            int n0 = network.topology.inputWidth();
            if (precision == Precision.FLOAT64) {
                Backprop backprop = new Backprop(network.topology, BLOCK_ROWS);
                double[] x = new double[n0 * BLOCK_ROWS]; // column-major: row c is x[c*n0 .. (c+1)*n0)
                return new BlockForward() {
                    @Override
                    public void put(double[] dense, int col) {
                        network.standardized(dense, x, col * n0);
                    }

                    @Override
                    public double[] run(int cols) {
                        return backprop.forward(network.weights, x, 0, cols);
                    }

                    @Override
                    public double[] outputScores() {
                        return backprop.outputScores();
                    }
                };
            }
            FloatBackprop backprop = new FloatBackprop(network.topology, BLOCK_ROWS);
            float[] w = FloatBackprop.toFloat(network.weights); // once per partition
            float[] x = new float[n0 * BLOCK_ROWS];
            double[] standardized = network.standardizer == null ? null : new double[n0];
            return new BlockForward() {
                @Override
                public void put(double[] dense, int col) {
                    double[] input = dense;
                    if (standardized != null) { // in double, then rounded: as training's blocks are made
                        network.standardized(dense, standardized, 0);
                        input = standardized;
                    }
                    FloatBackprop.toFloat(input, 0, x, col * n0, n0);
                }

                @Override
                public double[] run(int cols) {
                    return backprop.forward(w, x, 0, cols);
                }

                @Override
                public double[] outputScores() {
                    return backprop.outputScores();
                }
            };
        }
    }

    /** Pulls a block of input rows, runs it forward, then hands out its rows one by one. */
    private static final class BlockIterator<R> implements Iterator<R> {
        private final Iterator<R> input;
        private final TrainedNetwork network;
        private final String featuresCol;
        private final RowKind<R> kind;
        private final Columns columns;
        private final int added;
        private final BlockForward forward;
        private final Object[] block = new Object[BLOCK_ROWS];
        private final double[] row; // one row's dense features
        private double[] a;         // A_L of the current block, inside the forward pass's buffers
        private int size;
        private int next;

        BlockIterator(Iterator<R> input, TrainedNetwork network, Precision precision, String featuresCol,
                      RowKind<R> kind, Columns columns, int added) {
            this.input = input;
            this.network = network;
            this.featuresCol = featuresCol;
            this.kind = kind;
            this.columns = columns;
            this.added = added;
            this.forward = BlockForward.of(network, precision);
            this.row = new double[network.topology.inputWidth()];
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
        @SuppressWarnings("unchecked")
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            R in = (R) block[next];
            Object[] out = columns.of(a, forward.outputScores(), next);
            if (out.length != added) {
                throw new IllegalStateException(out.length + " new columns computed for a schema that adds " + added);
            }
            block[next++] = null;
            return kind.withColumns(in, out);
        }

        private void fill() {
            size = 0;
            next = 0;
            while (size < BLOCK_ROWS && input.hasNext()) {
                R r = input.next();
                if (kind.noFeatures(r)) {
                    throw new IllegalArgumentException("a row has no features: null in column '" + featuresCol + "'");
                }
                kind.features(r, network, row);
                forward.put(row, size);
                block[size] = kind.held(r, size);
                size++;
            }
            if (size > 0) {
                a = forward.run(size);
            }
        }
    }
}
