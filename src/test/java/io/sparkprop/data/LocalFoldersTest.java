package io.sparkprop.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFoldersTest {

    @Test
    void replaceSwapsAWrittenFolderInForTheOldOne(@TempDir Path dir) throws Exception {
        Path target = Files.createDirectories(dir.resolve("report/sub"));
        Files.writeString(target.resolve("old.txt"), "old");
        Path written = Files.createDirectories(dir.resolve("report.tmp"));
        Files.writeString(written.resolve("new.txt"), "new");

        LocalFolders.replace(written, dir.resolve("report"));

        assertFalse(Files.exists(written));
        assertFalse(Files.exists(dir.resolve("report/sub")), "nothing of the old folder is left");
        assertEquals("new", Files.readString(dir.resolve("report/new.txt")));
    }

    @Test
    void replaceAlsoPutsAFolderWhereNoneWas(@TempDir Path dir) throws Exception {
        Path written = Files.createDirectories(dir.resolve("x.tmp"));
        LocalFolders.replace(written, dir.resolve("x"));
        assertEquals(true, Files.isDirectory(dir.resolve("x")));
    }
}
