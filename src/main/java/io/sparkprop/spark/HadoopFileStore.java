package io.sparkprop.spark;

import io.sparkprop.train.FileStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A {@link FileStore} on any filesystem Hadoop knows: {@code hdfs://}, {@code s3a://},
 * {@code file://}, ..., configured by the given {@link Configuration} (on a cluster, Spark's
 * {@code hadoopConfiguration()}). A path without a scheme is a local path on this machine, not
 * one on Hadoop's default filesystem: a checkpoint folder given as {@code /tmp/ck} stays where
 * it always was.
 */
public final class HadoopFileStore implements FileStore {
    private final FileSystem fs;
    private final Path root;

    public HadoopFileStore(String dir, Configuration conf) {
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("checkpointDir must not be empty");
        }
        try {
            Path path = HadoopFiles.qualify(dir);
            FileSystem any = path.getFileSystem(conf);
            // Locally, the raw filesystem: no .crc file beside each file, half the calls per write.
            this.fs = any instanceof LocalFileSystem local ? local.getRawFileSystem() : any;
            this.root = fs.makeQualified(path);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpointDir " + dir + ": no filesystem for it (" + e.getMessage()
                    + ")", e);
        }
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public void write(String name, byte[] content) throws IOException {
        HadoopFiles.writeReplacing(fs, resolve(name), content);
    }

    @Override
    public List<String> list(String folder) throws IOException {
        List<String> names = new ArrayList<>();
        try {
            for (FileStatus s : fs.listStatus(resolve(folder))) {
                names.add(s.getPath().getName());
            }
        } catch (FileNotFoundException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    @Override
    public boolean exists(String name) throws IOException {
        return fs.exists(resolve(name));
    }

    @Override
    public byte[] read(String name) throws IOException {
        try (InputStream in = fs.open(resolve(name))) {
            return in.readAllBytes();
        }
    }

    @Override
    public void delete(String name) throws IOException {
        fs.delete(resolve(name), true);
    }

    private Path resolve(String name) {
        return name.isEmpty() ? root : new Path(root, name);
    }
}
