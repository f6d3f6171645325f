package io.sparkprop.cli;

import io.sparkprop.spark.SessionDefaults;
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
        SessionDefaults.apply(builder, conf);
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
