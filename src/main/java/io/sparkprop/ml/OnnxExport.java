package io.sparkprop.ml;

import io.sparkprop.data.InputException;
import io.sparkprop.onnx.OnnxModel;
import io.sparkprop.spark.HadoopFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Writes a fitted model's {@link OnnxModel} to a file on any Hadoop file system: whole, or not at all. */
final class OnnxExport {
    static final String PRODUCER_VERSION = "0.1.0";

    private OnnxExport() {
    }

    static void write(TrainedNetwork network, String path) {
        if (path == null || path.isBlank()) {
            throw new InputException("ONNX export: no output file given");
        }
        byte[] bytes = OnnxModel.of(network.topology, network.weights, network.standardizer, network.targets,
                PRODUCER_VERSION).toByteArray();
        Configuration conf = SparkSession.getActiveSession().isDefined()
                ? SparkSession.getActiveSession().get().sparkContext().hadoopConfiguration() : new Configuration();
        Path target = HadoopFiles.qualify(path);
        try {
            FileSystem fs = target.getFileSystem(conf);
            if (isFolder(fs, target)) {
                throw new InputException("ONNX export to " + path + ": that is a folder; give a file name");
            }
            HadoopFiles.writeReplacing(fs, target, bytes);
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof InputException i) {
                throw i;
            }
            throw new InputException("ONNX export to " + path + ": cannot be written (" + InputException.firstLine(e)
                    + ")", e);
        }
    }

    private static boolean isFolder(FileSystem fs, Path p) throws IOException {
        try {
            return fs.getFileStatus(p).isDirectory();
        } catch (FileNotFoundException absent) {
            return false;
        }
    }
}
