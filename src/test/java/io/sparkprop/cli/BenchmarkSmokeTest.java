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
            "sparkJobFloorSeconds", "sparkJobFloorWarmSeconds", "sparkBareJobSeconds",
            "sparkpropFloat32SecondsPerIteration", "float32Ratio", "transformRatio"}) {
            assertTrue(m.has(key), key);
        }
        // Not timings: what float32 caches, and that transform in blocks predicts what Spark's MLP does.
        double memory = m.get("cachedBytesRatio").asDouble();
        assertTrue(memory > 0.4 && memory <= 0.55, "float32 blocks against float64: " + memory);
        assertTrue(m.get("transformLargestProbabilityDifference").asDouble() < 1e-12, r.out());
        assertTrue(r.out().contains("sparkprop") && r.out().contains("Spark MLP"), r.out());
    }

    @Test
    void recipeTimesEachVariantToTheTargetAccuracy(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("digits.properties");
        java.nio.file.Files.writeString(conf, String.join("\n", "task=classification", "data.train=bundled:digits",
                "data.test=bundled:digits", "data.label=digit", "hiddenLayers=16", "stepSize=0.01", "batchSize=128",
                "maxEpochs=3", "seed=1", ""));
        Path json = dir.resolve("recipe.json");
        CliRunner.Result r = CliRunner.run("benchmark", "--recipe", conf.toString(), "--compare",
                "precision=float32,float64", "--rounds", "1", "--target", "0.5", "--output", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode runs = new ObjectMapper().readTree(json.toFile()).get("runs");
        for (String variant : new String[] {"precision=float32", "precision=float64"}) {
            JsonNode run = runs.get(variant).get(0);
            assertEquals(3, run.get("epochs").asInt(), variant);
            assertTrue(run.get("finalAccuracy").asDouble() > 0.5, variant + ": " + run);
            double toTarget = run.get("secondsToTarget").asDouble();
            assertTrue(toTarget > 0 && toTarget <= run.get("trainingSeconds").asDouble(), variant + ": " + run);
            JsonNode curve = run.get("accuracyAtEpochEnd");
            assertEquals(3, curve.size(), variant + ": " + run);
            assertEquals(run.get("finalAccuracy").asDouble(), curve.get(2).asDouble(), 0.0, variant);
            int reached = run.get("epochToTarget").asInt();
            assertTrue(curve.get(reached - 1).asDouble() >= 0.5
                    && (reached == 1 || curve.get(reached - 2).asDouble() < 0.5), variant + ": " + run);
        }

        CliRunner.Result plain = CliRunner.run("benchmark", "--recipe", conf.toString(), "--rounds", "1",
                "--target", "0.5", "--output", json.toString());
        assertEquals(0, plain.code(), plain.err());
        JsonNode asIs = new ObjectMapper().readTree(json.toFile()).get("runs").get(RecipeBenchmark.AS_THE_FILE_SAYS);
        assertEquals(3, asIs.get(0).get("epochs").asInt(), plain.out());
        assertTrue(plain.out().contains("round 1, " + RecipeBenchmark.AS_THE_FILE_SAYS + ": "), plain.out());

        CliRunner.Result bad = CliRunner.run("benchmark", "--recipe", conf.toString(), "--compare", "precision");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("--compare must be KEY=V1,V2,..., got 'precision'"), bad.err());
    }
}
