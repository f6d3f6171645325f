package io.sparkprop.spark;

import io.sparkprop.data.RowIdentity;
import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Held-out rows (test, validation) chosen by each row's identity ({@link RowIdentity}): the same
 * rows on any partitioning and in any row order, unlike {@code randomSplit}, whose draw follows
 * the partitions. A row whose identity cannot be taken (null features or label, features that
 * are not a vector) stays on the training side, where training names it as a bad row.
 */
public final class RowSplits {
    private RowSplits() {
    }

    /** {@code data} without, and then with, its held-out share {@code fraction} under (seed, salt). */
    public static Dataset<Row>[] split(Dataset<Row> data, String featuresCol, String labelCol, String idCol,
                                       long seed, long salt, double fraction) {
        Column held = heldOut(data, featuresCol, labelCol, idCol, seed, salt, fraction);
        @SuppressWarnings("unchecked")
        Dataset<Row>[] parts = new Dataset[] {data.filter(functions.not(held)), data.filter(held)};
        return parts;
    }

    /** True for the rows of {@code data} held out under (seed, salt) at this fraction; never null. */
    public static Column heldOut(Dataset<Row> data, String featuresCol, String labelCol, String idCol,
                                 long seed, long salt, double fraction) {
        UserDefinedFunction pick = functions.udf(
                (UDF1<Long, Boolean>) id -> id != null && RowIdentity.heldOut(seed, salt, id, fraction),
                DataTypes.BooleanType);
        return pick.apply(identity(data, featuresCol, labelCol, idCol));
    }

    /**
     * Each row's identity as a long column: a hash of the id column when {@code idCol} is set, else of
     * the features and label; null where it cannot be taken.
     */
    public static Column identity(Dataset<Row> data, String featuresCol, String labelCol, String idCol) {
        if (idCol != null) {
            requireColumn(data, idCol, "idCol");
            UserDefinedFunction byId = functions.udf(
                    (UDF1<Object, Long>) id -> id == null ? null : RowIdentity.ofId(id), DataTypes.LongType);
            return byId.apply(data.col(idCol));
        }
        requireColumn(data, featuresCol, "features column");
        requireColumn(data, labelCol, "label column");
        UserDefinedFunction byContent = functions.udf((UDF2<Object, Object, Long>) RowSplits::contentKey,
                DataTypes.LongType);
        return byContent.apply(data.col(featuresCol), data.col(labelCol));
    }

    private static Long contentKey(Object features, Object label) {
        if (!(features instanceof Vector f) || label == null) {
            return null;
        }
        if (label instanceof Vector v) {
            return RowIdentity.ofContent(f, v);
        }
        if (label instanceof Number n) {
            return RowIdentity.ofContent(f, n.doubleValue());
        }
        return null;
    }

    static void requireColumn(Dataset<Row> data, String name, String what) {
        if (!Arrays.asList(data.columns()).contains(name)) {
            throw new IllegalArgumentException("no " + what + " '" + name + "' among " + Arrays.toString(data.columns()));
        }
    }
}
