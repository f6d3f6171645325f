package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.SparkTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerUnpersistRDD;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.storage.RDDInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train caches its parsed input for the checks, and lets it go before the first step: the blocks hold the rows. */
class CachedInputTest {
    @TempDir
    static Path dir;

    @Test
    void theParsedRowsAreReleasedBeforeTheFirstStep() throws Exception {
        // bundled digits, 20% held out for test: the test rows are parsed again after training
        List<String> cached = cachedAtTheFirstStep("digits", "--set", "maxEpochs=1");
        assertEquals(List.of("sparkprop training data blocks", "sparkprop validation data blocks"), cached);
    }

    @Test
    void aTablesEncodedRowsAreReleasedToo() throws Exception {
        Path csv = dir.resolve("table.csv");
        List<String> lines = new ArrayList<>(List.of("size,colour,label"));
        for (int i = 0; i < 300; i++) {
            lines.add((i % 17) * 0.1 + "," + (i % 3 == 0 ? "red" : "blue") + "," + (i % 3 == 0 ? "yes" : "no"));
        }
        Files.write(csv, lines);
        List<String> cached = cachedAtTheFirstStep("table", "--set", "data.train=" + csv, "--set", "data.label=label",
                "--set", "validationFraction=0", "--set", "maxEpochs=1");
        assertEquals(List.of("sparkprop training data blocks"), cached);
    }

    /** The names of the RDDs cached (seen so in a job, not unpersisted since) when the first step's job starts. */
    private static List<String> cachedAtTheFirstStep(String name, String... sets) throws Exception {
        SparkContext sc = SparkTestSupport.session().sparkContext();
        Watch watch = new Watch();
        sc.addSparkListener(watch);
        try {
            List<String> args = new ArrayList<>(List.of("train", "--conf", "conf/default.properties",
                    "--model", dir.resolve(name + "-model").toString(),
                    "--set", "output.report=" + dir.resolve(name + "-report")));
            args.addAll(List.of(sets));
            CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("test: "), r.out()); // scored after the release, from the rows parsed again
            sc.listenerBus().waitUntilEmpty();
        } finally {
            sc.removeSparkListener(watch);
        }
        assertNotNull(watch.atFirstStep, "no step job seen");
        return watch.atFirstStep.stream().sorted().toList();
    }

    /** Events come in the order the driver posted them, so what it sees at a job's start is exact. */
    private static final class Watch extends SparkListener {
        final Map<Integer, String> cached = new ConcurrentHashMap<>();
        final Set<Integer> released = ConcurrentHashMap.newKeySet();
        volatile List<String> atFirstStep;

        @Override
        public void onJobStart(SparkListenerJobStart job) {
            String d = job.properties() == null ? null : job.properties().getProperty("spark.job.description");
            // the first step's job, or the job of the step tasks that start with it
            if (atFirstStep == null && d != null && (d.startsWith("sparkprop epoch 1/")
                    || d.startsWith("sparkprop step tasks (from epoch 1/")) && d.contains(" step 1/")) {
                List<String> names = new ArrayList<>();
                cached.forEach((id, n) -> {
                    if (!released.contains(id)) {
                        names.add(n);
                    }
                });
                atFirstStep = names;
            }
            scala.collection.Iterator<StageInfo> stages = job.stageInfos().iterator();
            while (stages.hasNext()) {
                scala.collection.Iterator<RDDInfo> rdds = stages.next().rddInfos().iterator();
                while (rdds.hasNext()) {
                    RDDInfo rdd = rdds.next();
                    if (rdd.storageLevel().isValid()) {
                        cached.put(rdd.id(), rdd.name());
                    }
                }
            }
        }

        @Override
        public void onUnpersistRDD(SparkListenerUnpersistRDD unpersist) {
            released.add(unpersist.rddId());
        }
    }
}
