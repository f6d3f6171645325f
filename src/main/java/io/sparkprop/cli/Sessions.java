package io.sparkprop.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The SparkSession a command runs in: spark-submit's, or local mode on all cores bound to 127.0.0.1. */
final class Sessions {
    private Sessions() {
    }

    static SparkSession get(String appName) {
        return get(appName, new SparkConf().get("spark.master", "local[*]"));
    }

    /** spark-submit's session, but on {@code master}: the scaling benchmark runs several, one after the other. */
    static SparkSession get(String appName, String master) {
        SparkConf conf = new SparkConf();
        SparkSession.Builder builder = SparkSession.builder().appName(appName).master(master)
                .config("spark.sql.debug.maxToStringFields", "1000"); // wide CSVs: no plan-truncation warning
        if (master.startsWith("local")) {
            // Local mode serves nothing beyond this machine.
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        // Per-step costs of a training job, where the user has not chosen otherwise: a gradient sum
        // (8 bytes a parameter) above 1 MB would travel as an indirect result, an extra round trip;
        // random weights do not compress, so compressing the weight broadcast only costs time.
        defaultConfig(builder, conf, "spark.task.maxDirectResultSize", "256m");
        defaultConfig(builder, conf, "spark.broadcast.compress", "false");
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    private static void defaultConfig(SparkSession.Builder builder, SparkConf conf, String key, String value) {
        if (!conf.contains(key)) {
            builder.config(key, value);
        }
    }
}
