package io.sparkprop.spark;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writing outputs on any Hadoop file system whole or not at all, in one place: to a temporary
 * sibling first, then renamed over the target. Used by checkpoints, models, reports, predictions
 * and ONNX files.
 */
public final class HadoopFiles {
    private HadoopFiles() {
    }

    /** {@code path} as Hadoop should read it: a path without a scheme is a local one, not one on the default FS. */
    public static Path qualify(String path) {
        Path p = new Path(path);
        return p.toUri().getScheme() == null ? new Path(new File(path).getAbsoluteFile().toURI()) : p;
    }

    /** Writes {@code content} to a temporary sibling of {@code target}, then renames it over whatever is there. */
    public static void writeReplacing(FileSystem fs, Path target, byte[] content) throws IOException {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            try (OutputStream out = fs.create(tmp, false)) {
                out.write(content);
            }
            if (!fs.rename(tmp, target)) {
                // HDFS does not rename over an existing file: replace it (not atomic; checkpoints add a marker)
                if (!fs.delete(target, false) || !fs.rename(tmp, target)) {
                    throw new IOException("cannot rename " + tmp + " to " + target);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Only a failed write leaves the temporary file; a successful one costs no extra call.
            if (fs.exists(tmp)) {
                fs.delete(tmp, false);
            }
            throw e;
        }
    }

    /** What {@link #writeVia} runs: writes at {@code tmp} and returns what is to take the target's place. */
    @FunctionalInterface
    public interface TemporaryWrite {
        Path writeAt(Path tmp) throws IOException;
    }

    /**
     * A file or folder written whole or not at all, by writers that make their own (Spark's
     * writers, a model's {@code save}): {@code write} writes at a temporary sibling of
     * {@code target}, and what it returns (that sibling, or a file inside it) is renamed over
     * {@code target}. The sibling is gone afterwards, whether the write worked or not.
     */
    public static void writeVia(FileSystem fs, Path target, TemporaryWrite write) throws IOException {
        Path tmp = new Path(target + ".tmp-" + UUID.randomUUID());
        try {
            replace(fs, write.writeAt(tmp), target);
        } finally {
            if (fs.exists(tmp)) {
                fs.delete(tmp, true);
            }
        }
    }

    /**
     * The last move of a write-then-rename for a file or folder written elsewhere: whatever stood
     * at {@code to} goes, {@code from} takes its place.
     */
    public static void replace(FileSystem fs, Path from, Path to) throws IOException {
        if (fs.exists(to)) {
            fs.delete(to, true);
        }
        Path parent = to.getParent();
        if (parent != null && !fs.exists(parent)) {
            fs.mkdirs(parent);
        }
        if (!fs.rename(from, to)) {
            throw new IOException("could not rename " + from + " to " + to);
        }
    }
}
