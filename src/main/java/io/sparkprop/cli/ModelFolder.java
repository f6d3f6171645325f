package io.sparkprop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.data.InputException;
import io.sparkprop.ml.FeedForwardClassificationModel;
import io.sparkprop.ml.FeedForwardRegressionModel;
import io.sparkprop.spark.HadoopFiles;
import io.sparkprop.spark.TableEncoding;
import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.sql.SparkSession;

/** Saving a model so that a failed run leaves nothing half-written, and loading whichever kind a folder holds. */
final class ModelFolder {
    private ModelFolder() {
    }

    /**
     * Writes to a temporary sibling, then renames it into place (replacing an older model); the
     * table encoding, when there is one, goes inside ({@code table/}).
     */
    static void save(SparkSession spark, MLWritable model, TableEncoding encoding, String dir) {
        Path target = new Path(dir);
        try {
            FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
            HadoopFiles.writeVia(fs, target, tmp -> {
                model.write().save(tmp.toString());
                if (encoding != null) {
                    encoding.save(tmp.toString(), spark.sparkContext().hadoopConfiguration());
                }
                return tmp;
            });
        } catch (IOException e) {
            throw new InputException("model folder " + dir + ": cannot be written (" + e.getMessage() + ")", e);
        }
    }

    /** The model in {@code dir}, classifier or regressor, as its metadata says. */
    static PredictionModel<Vector, ?> load(SparkSession spark, String dir) {
        String className = className(spark, dir);
        if (className.equals(FeedForwardClassificationModel.class.getName())) {
            return FeedForwardClassificationModel.load(dir);
        }
        if (className.equals(FeedForwardRegressionModel.class.getName())) {
            return FeedForwardRegressionModel.load(dir);
        }
        throw new InputException("model folder " + dir + " holds a " + className + ", not a sparkprop model");
    }

    private static String className(SparkSession spark, String dir) {
        Path metadata = new Path(dir, "metadata");
        try {
            FileSystem fs = metadata.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(new Path(dir))) {
                throw new InputException("model folder " + dir + ": no such folder");
            }
            if (!fs.exists(metadata)) {
                throw new InputException("model folder " + dir + ": no metadata/; not a saved model, or only part of one");
            }
            String json = spark.read().text(metadata.toString()).first().getString(0);
            JsonNode node = new ObjectMapper().readTree(json);
            if (!node.hasNonNull("class")) {
                throw new InputException("model folder " + dir + ": metadata names no class");
            }
            return node.get("class").asText();
        } catch (IOException | RuntimeException e) {
            if (e instanceof InputException ie) {
                throw ie;
            }
            throw new InputException("model folder " + dir + ": unreadable metadata (" + e.getMessage() + ")", e);
        }
    }
}
