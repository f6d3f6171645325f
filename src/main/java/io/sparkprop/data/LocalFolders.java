package io.sparkprop.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folders on the driver's own disk (checkpoints, reports). */
public final class LocalFolders {
    private LocalFolders() {
    }

    /**
     * The last step of a write-then-rename on the local disk: whatever stands at {@code target}
     * goes, and {@code written} (complete, beside it) takes its place in one atomic move.
     */
    public static void replace(Path written, Path target) throws IOException {
        if (Files.exists(target)) {
            deleteTree(target);
        }
        Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
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
