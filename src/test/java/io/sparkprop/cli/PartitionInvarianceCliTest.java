package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped jobs on two values of data.partitions hold out the same test rows and train the
 * same model (up to rounding), so they print the same {@code test:} line.
 */
class PartitionInvarianceCliTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"default", "breast-cancer"})
    void twoPartitionCountsPrintTheSameTestLine(String job) {
        String two = testLine(job, 2);
        String five = testLine(job, 5);
        assertTrue(two.matches("test: rows \\d+  accuracy 0\\.\\d{4}  log loss \\d+\\.\\d{4}"), two);
        assertEquals(two, five);
    }

    private String testLine(String job, int partitions) {
        Path out = dir.resolve(job + "-" + partitions);
        CliRunner.Result r = CliRunner.run("train", "--conf", "conf/" + job + ".properties",
                "--set", "maxEpochs=3", "--set", "data.partitions=" + partitions,
                "--set", "output.report=" + out.resolve("report"), "--model", out.resolve("model").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| " + partitions + " partitions"), r.out());
        return r.out().lines().filter(l -> l.startsWith("test: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no test: line in\n" + r.out()));
    }
}
