package io.sparkprop.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The Spark settings a training job wants where the user has not chosen otherwise, and why. */
public final class SessionDefaults {
    private SessionDefaults() {
    }

    /** Adds each setting that {@code conf} (spark-submit's) does not already hold. */
    public static SparkSession.Builder apply(SparkSession.Builder builder, SparkConf conf) {
        // A gradient sum (8 bytes a parameter) above 1 MB would otherwise travel as an indirect
        // result, an extra round trip each step.
        orDefault(builder, conf, "spark.task.maxDirectResultSize", "256m");
        // Random weights do not compress: compressing a weight broadcast only costs time.
        orDefault(builder, conf, "spark.broadcast.compress", "false");
        return builder;
    }

    private static void orDefault(SparkSession.Builder builder, SparkConf conf, String key, String value) {
        if (!conf.contains(key)) {
            builder.config(key, value);
        }
    }
}
