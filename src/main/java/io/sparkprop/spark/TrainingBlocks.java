package io.sparkprop.spark;

import io.sparkprop.data.BadRowException;
import io.sparkprop.data.BlockStacker;
import io.sparkprop.data.RowIdentity;
import io.sparkprop.data.Standardizer;
import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Block;
import io.sparkprop.nn.Precision;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * A DataFrame's rows checked once, stacked per partition into column-major {@link Block}s,
 * persisted MEMORY_AND_DISK and counted: what every training step reads. Close it to unpersist.
 */
public final class TrainingBlocks implements AutoCloseable {
    /** The id and weight columns' names among the selected ones. */
    private static final String ID = "_sparkprop_id";
    private static final String WEIGHT = "_sparkprop_weight";
    private final JavaRDD<Block> blocks;
    private final long rowCount;
    private final long[] partitionRows;
    private final Precision precision;

    private TrainingBlocks(JavaRDD<Block> blocks, long rowCount, long[] partitionRows, Precision precision) {
        this.blocks = blocks;
        this.precision = precision;
        this.rowCount = rowCount;
        this.partitionRows = partitionRows;
    }

    /**
     * Validates and caches {@code data}. A bad row fails with a message that names {@code what}
     * (e.g. the file), the row's number counted from 1 over the whole DataFrame, and the problem.
     *
     * @param standardizer null to use features as they are
     */
    public static TrainingBlocks prepare(Dataset<Row> data, String featuresCol, String labelCol, int inputWidth,
                                         TargetEncoder targets, Standardizer standardizer, int blockRows,
                                         String what) {
        return prepare(data, featuresCol, labelCol, null, null, inputWidth, targets, standardizer, blockRows,
                Precision.FLOAT64, what);
    }

    /**
     * As above; with {@code idCol} set, each row is known by (a hash of) its id rather than by its
     * content, which decides the step of an epoch it belongs to; with {@code weightCol} set, each
     * row weighs that column's value (numeric, finite, at least 0); the features are cached in
     * {@code precision}.
     */
    public static TrainingBlocks prepare(Dataset<Row> data, String featuresCol, String labelCol, String idCol,
                                         String weightCol, int inputWidth, TargetEncoder targets,
                                         Standardizer standardizer, int blockRows, Precision precision, String what) {
        List<String> columns = Arrays.asList(data.columns());
        if (idCol != null && !columns.contains(idCol)) {
            throw new IllegalArgumentException(what + ": no idCol '" + idCol + "' among " + columns);
        }
        if (weightCol != null) {
            if (!columns.contains(weightCol)) {
                throw new IllegalArgumentException(what + ": no weightCol '" + weightCol + "' among " + columns);
            }
            DataType wt = data.schema().apply(weightCol).dataType();
            if (!(wt instanceof NumericType)) {
                throw new IllegalArgumentException(what + ": weight column '" + weightCol + "' must be numeric, is "
                        + wt.simpleString());
            }
        }
        Dataset<Row> tagged = idCol == null ? data : data.withColumn(ID, functions.col(idCol));
        if (weightCol != null) {
            tagged = tagged.withColumn(WEIGHT, functions.col(weightCol).cast("double"));
        }
        Dataset<Row> selected = selectColumns(tagged, featuresCol, labelCol, what);
        boolean hasId = idCol != null;
        boolean weighted = weightCol != null;
        JavaRDD<Block> blocks = selected.javaRDD().mapPartitionsWithIndex((partition, rows) ->
                stack(partition, rows, hasId, weighted, inputWidth, targets, standardizer, blockRows, precision),
                true);
        blocks.setName("sparkprop " + what + " blocks"); // what the Storage tab of Spark's UI lists
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<Long> counts = blocks.mapPartitions(it -> {
                long n = 0;
                while (it.hasNext()) {
                    n += it.next().size();
                }
                return List.of(n).iterator();
            }).collect();
            long[] perPartition = counts.stream().mapToLong(Long::longValue).toArray();
            long total = Arrays.stream(perPartition).sum();
            if (total == 0) {
                throw new IllegalArgumentException(what + ": no rows to train on");
            }
            return new TrainingBlocks(blocks, total, perPartition, precision);
        } catch (Exception e) { // SparkException is checked, though Scala does not declare it
            blocks.unpersist(false);
            BadRowException bad = findCause(e, BadRowException.class);
            if (bad != null && bad.partition() >= 0) {
                long before = rowsBefore(selected, bad.partition());
                throw new IllegalArgumentException(what + ": row " + (before + bad.rowIndex() + 1) + ": "
                        + bad.reason(), e);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(what + ": " + e.getMessage(), e);
        }
    }

    /** Checks the two columns exist with usable types and returns (features, label as double[, id]). */
    static Dataset<Row> selectColumns(Dataset<Row> data, String featuresCol, String labelCol, String what) {
        StructType schema = data.schema();
        List<String> names = Arrays.asList(schema.fieldNames());
        if (!names.contains(featuresCol)) {
            throw new IllegalArgumentException(what + ": no features column '" + featuresCol + "' among "
                    + names);
        }
        if (!names.contains(labelCol)) {
            throw new IllegalArgumentException(what + ": no label column '" + labelCol + "' among " + names);
        }
        DataType ft = schema.apply(featuresCol).dataType();
        if (!(ft instanceof VectorUDT)) {
            throw new IllegalArgumentException(what + ": features column '" + featuresCol
                    + "' must be an ml.linalg Vector, is " + ft.simpleString());
        }
        DataType lt = schema.apply(labelCol).dataType();
        if (lt instanceof VectorUDT) {
            return withId(data, functions.col(featuresCol), functions.col(labelCol)); // several regression outputs
        }
        if (!(lt instanceof NumericType)) {
            throw new IllegalArgumentException(what + ": label column '" + labelCol + "' must be numeric (or a"
                    + " vector, for several regression outputs), is " + lt.simpleString());
        }
        return withId(data, functions.col(featuresCol), functions.col(labelCol).cast("double"));
    }

    /** (features, label), then the id and the weight columns when {@code data} has them. */
    private static Dataset<Row> withId(Dataset<Row> data, Column features, Column label) {
        List<Column> columns = new java.util.ArrayList<>(List.of(features, label));
        for (String tag : new String[] {ID, WEIGHT}) {
            if (Arrays.asList(data.columns()).contains(tag)) {
                columns.add(functions.col(tag));
            }
        }
        return data.select(columns.toArray(new Column[0]));
    }

    private static Iterator<Block> stack(int partition, Iterator<Row> rows, boolean hasId, boolean weighted,
                                         int inputWidth, TargetEncoder targets, Standardizer standardizer,
                                         int blockRows, Precision precision) {
        BlockStacker stacker = new BlockStacker(inputWidth, targets, standardizer, blockRows, precision, weighted);
        int weightAt = hasId ? 3 : 2;
        long index = 0;
        while (rows.hasNext()) {
            Row row = rows.next();
            try {
                if (row.isNullAt(1)) {
                    throw new BadRowException(index, "label is null (or not a number)");
                }
                if (weighted) {
                    if (row.isNullAt(weightAt)) {
                        throw new BadRowException(index, "weight is missing");
                    }
                    stacker.weighNext(row.getDouble(weightAt));
                }
                if (hasId) { // known by its id
                    if (row.isNullAt(2)) {
                        throw new BadRowException(index, "id is null");
                    }
                    long key = RowIdentity.ofId(row.get(2));
                    if (row.get(1) instanceof Vector label) {
                        stacker.add((Vector) row.get(0), label, key);
                    } else {
                        stacker.add((Vector) row.get(0), row.getDouble(1), key);
                    }
                } else if (row.get(1) instanceof Vector label) {
                    stacker.add((Vector) row.get(0), label);
                } else {
                    stacker.add((Vector) row.get(0), row.getDouble(1));
                }
            } catch (BadRowException e) {
                throw new BadRowException(partition, index, e.reason());
            }
            index++;
        }
        return stacker.finish().iterator();
    }

    private static long rowsBefore(Dataset<Row> selected, int partition) {
        List<Long> counts = selected.javaRDD().mapPartitionsWithIndex((p, it) -> {
            long n = 0;
            if (p < partition) {
                while (it.hasNext()) {
                    it.next();
                    n++;
                }
            }
            return List.of(n).iterator();
        }, true).collect();
        return counts.stream().mapToLong(Long::longValue).sum();
    }

    static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * Computes again, from their lineage, the cached partitions that are gone (an executor lost);
     * those still cached are only read. The rows and their order come out as before: a bad row
     * would have failed the first pass.
     */
    void recache() {
        org.apache.spark.SparkContext sc = blocks.context();
        String step = sc.getLocalProperty("spark.job.description");
        sc.setJobDescription("sparkprop: caching lost rows again");
        try {
            blocks.foreachPartition(TOUCH);
        } finally {
            sc.setJobDescription(step);
        }
    }

    private static final Touch TOUCH = new Touch();

    /** A task that only makes its partition's cached blocks exist. */
    private static final class Touch implements org.apache.spark.api.java.function.VoidFunction<Iterator<Block>> {
        private static final long serialVersionUID = 1L;

        @Override
        public void call(Iterator<Block> partition) {
            // reading the first block is enough: the cache stores whole partitions
            if (partition.hasNext()) {
                partition.next();
            }
        }
    }

    public JavaRDD<Block> rdd() {
        return blocks;
    }

    /** N, the number of rows cached. */
    public long rowCount() {
        return rowCount;
    }

    /** The number type of the cached features. */
    public Precision precision() {
        return precision;
    }

    /** Rows in each partition, in partition order. */
    long[] partitionRows() {
        return partitionRows.clone();
    }

    public int partitionCount() {
        return partitionRows.length;
    }

    @Override
    public void close() {
        blocks.unpersist(false);
    }
}
