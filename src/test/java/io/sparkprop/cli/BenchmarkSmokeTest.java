package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark runs end to end on tiny synthetic data and writes its JSON; no timing is asserted. */
class BenchmarkSmokeTest {

    @Test
    void runsOnTinySyntheticData(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        CliRunner.Result r = CliRunner.run("benchmark", "--data", "synthetic", "--rows", "300", "--iterations", "1",
                "--rounds", "1", "--batch-steps", "1", "--output", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode m = new ObjectMapper().readTree(json.toFile());
        assertEquals("synthetic", m.get("data").asText());
        assertEquals(300, m.get("rows").asInt());
        for (String key : new String[] {"sparkpropSecondsPerIteration", "sparkMlpSecondsPerIteration", "ratio",
            "dgemmGflops", "shareOfDgemm", "batch1024ShareOutsideForwardBackward", "loadSeconds",
            "sparkJobFloorSeconds", "sparkpropFloat32SecondsPerIteration", "float32Ratio", "transformRatio"}) {
            assertTrue(m.has(key), key);
        }
        // Not timings: what float32 caches, and that transform in blocks predicts what Spark's MLP does.
        double memory = m.get("cachedBytesRatio").asDouble();
        assertTrue(memory > 0.4 && memory <= 0.55, "float32 blocks against float64: " + memory);
        assertTrue(m.get("transformLargestProbabilityDifference").asDouble() < 1e-12, r.out());
        assertTrue(r.out().contains("sparkprop") && r.out().contains("Spark MLP"), r.out());
    }
}
