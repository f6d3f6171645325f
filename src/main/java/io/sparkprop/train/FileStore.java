package io.sparkprop.train;

import java.io.IOException;
import java.util.List;

/**
 * A folder of files on some filesystem (local, HDFS, S3, ...), as much of one as checkpoints
 * need. Names are relative to the store's root, with '/' between folder and file. Kept this
 * small so that the training loop needs no filesystem library; the Hadoop one lives beside Spark.
 */
public interface FileStore {

    /** Where the root is (a URI or a path), for messages. */
    String location();

    /**
     * Writes {@code content} to {@code name} under a temporary name in the same folder, then
     * renames it to {@code name}, replacing what was there; creates missing folders. Where the
     * filesystem cannot rename atomically, a reader may see the file before it is complete:
     * callers that must not, write a marker last (as {@link CheckpointStore} does).
     */
    void write(String name, byte[] content) throws IOException;

    /** The names of the entries directly in {@code folder} ("" for the root), sorted; none if it does not exist. */
    List<String> list(String folder) throws IOException;

    boolean exists(String name) throws IOException;

    /** The whole content of file {@code name}. */
    byte[] read(String name) throws IOException;

    /** Deletes {@code name}, a folder with all it holds; nothing when it does not exist. */
    void delete(String name) throws IOException;
}
