package io.sparkprop.ml;

import java.lang.reflect.Method;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.types.StructType;

/**
 * A DataFrame's rows in Spark's internal form, and a DataFrame made from such rows: the two
 * calls Spark's own ML code uses for this ({@code queryExecution().toRdd()} and
 * {@code internalCreateDataFrame}). They are found by name because their classes moved in Spark
 * 4.0 ({@code org.apache.spark.sql.classic}); where they are not found, callers take the public
 * path.
 */
final class InternalFrames {
    private InternalFrames() {
    }

    /** {@code data}'s rows as Spark computes them, or null where this Spark hides them. */
    static RDD<InternalRow> rows(Dataset<?> data) {
        Method queryExecution = method(data.getClass(), "queryExecution");
        if (queryExecution == null || create(data) == null) {
            return null;
        }
        try {
            return ((QueryExecution) queryExecution.invoke(data)).toRdd();
        } catch (ReflectiveOperationException | ClassCastException e) {
            return null;
        }
    }

    /** A DataFrame of {@code rows} (from {@link #rows} of {@code like} and then changed) with {@code schema}. */
    @SuppressWarnings("unchecked")
    static Dataset<Row> frame(Dataset<?> like, RDD<InternalRow> rows, StructType schema) {
        try {
            return (Dataset<Row>) create(like).invoke(like.sparkSession(), rows, schema, false);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Spark's internalCreateDataFrame failed", e);
        }
    }

    private static Method create(Dataset<?> data) {
        return method(data.sparkSession().getClass(), "internalCreateDataFrame", RDD.class, StructType.class,
                boolean.class);
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
