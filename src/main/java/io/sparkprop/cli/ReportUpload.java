package io.sparkprop.cli;

import io.sparkprop.data.InputException;
import io.sparkprop.data.LocalFolders;
import io.sparkprop.spark.HadoopFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A report for a Hadoop file system other than the local one ({@code hdfs://}, {@code s3a://}):
 * XChart draws into local files, so the whole report is written to a local temporary folder
 * first, then copied next to the target under a temporary name and renamed into place.
 */
final class ReportUpload {
    private ReportUpload() {
    }

    /** Whether {@code path} names a file system other than the local one. */
    static boolean isRemote(String path) {
        try {
            String scheme = new URI(path).getScheme();
            return scheme != null && scheme.length() > 1 && !scheme.equals("file");
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Writes {@code report} to {@code target}, local or remote; returns where index.html is. */
    static String write(TrainingReport report, String target, Configuration conf) {
        if (!isRemote(target)) {
            java.nio.file.Path dir = java.nio.file.Path.of(target);
            report.write(dir);
            return dir.resolve("index.html").toString();
        }
        java.nio.file.Path local = null;
        Path to = new Path(target);
        try {
            local = Files.createTempDirectory("sparkprop-report");
            java.nio.file.Path folder = local.resolve("report");
            report.write(folder);
            FileSystem fs = to.getFileSystem(conf);
            HadoopFiles.writeVia(fs, to, tmp -> {
                fs.copyFromLocalFile(false, true, new Path(folder.toUri()), tmp);
                return tmp;
            });
            return new Path(to, "index.html").toString();
        } catch (IOException e) {
            throw new InputException("report folder " + target + ": cannot be written (" + e.getMessage() + ")", e);
        } finally {
            if (local != null) {
                try {
                    LocalFolders.deleteTree(local);
                } catch (IOException ignored) {
                    // best effort: a temporary folder left behind does not change the result
                }
            }
        }
    }
}
