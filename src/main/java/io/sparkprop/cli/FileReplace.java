package io.sparkprop.cli;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The last move of a write-then-rename: whatever stood at the target goes, the new output takes its place. */
final class FileReplace {
    private FileReplace() {
    }

    static void replace(FileSystem fs, Path from, Path to) throws IOException {
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
