package io.sparkprop.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folders on the driver's own disk (checkpoints, reports). */
public final class LocalFolders {
    private LocalFolders() {
    }

    /** Deletes a folder and everything in it, deepest first. */
    public static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
