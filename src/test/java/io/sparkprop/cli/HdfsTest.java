package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.ml.FeedForwardClassificationModel;
import io.sparkprop.ml.FeedForwardClassifier;
import io.sparkprop.spark.InputFormats;
import io.sparkprop.spark.SparkTestSupport;
import io.sparkprop.train.EpochStats;
import io.sparkprop.train.TrainingListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HDFS for real: an in-process HDFS (a NameNode and a DataNode on 127.0.0.1, data under
 * target/), the training CSV read from hdfs://, the model and the report written there, the model
 * loaded back from hdfs:// by the ML API and by {@code predict}.
 */
class HdfsTest {
    static MiniDFSCluster cluster;
    static FileSystem fs;
    static String root;

    @BeforeAll
    static void startHdfs() throws Exception {
        Configuration conf = new Configuration();
        java.nio.file.Path base = Files.createDirectories(java.nio.file.Path.of("target", "hdfs-test"))
                .toAbsolutePath();
        java.nio.file.Path data = Files.createTempDirectory(base, "dfs");
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, data.toString());
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        // Nothing listens beyond this machine.
        assertTrue(cluster.getNameNode().getNameNodeAddress().getAddress().isLoopbackAddress());
        assertTrue(cluster.getDataNodes().get(0).getXferAddress().getAddress().isLoopbackAddress());
        root = "hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/sparkprop";
        fs = new Path(root).getFileSystem(conf);
        try (var in = HdfsTest.class.getResourceAsStream("/datasets/breast_cancer.csv");
             var out = fs.create(new Path(root + "/data/breast_cancer.csv"))) {
            in.transferTo(out);
        }
    }

    @AfterAll
    static void stopHdfs() throws Exception {
        if (fs != null) {
            fs.close();
        }
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    @Test
    void trainsFromHdfsSavesThereAndPredictsFromThere() throws Exception {
        String train = root + "/data/breast_cancer.csv";
        String model = root + "/models/bc";
        String report = root + "/reports/bc";
        CliRunner.Result trained = CliRunner.run("train", "--conf", "conf/breast-cancer.properties",
                "--set", "data.train=" + train, "--set", "maxEpochs=5", "--set", "output.report=" + report,
                "--model", model);
        assertEquals(0, trained.code(), trained.err());
        assertTrue(trained.out().contains("model saved to " + model), trained.out());
        assertTrue(trained.out().contains("report: " + report + "/index.html"), trained.out());

        assertTrue(fs.exists(new Path(model, "metadata")) && fs.exists(new Path(model, "data")));
        List<String> metrics = lines(new Path(report, "metrics.jsonl"));
        assertEquals(5, metrics.size());
        assertEquals(5, new ObjectMapper().readTree(metrics.get(4)).get("epoch").asInt());
        for (String f : List.of("index.html", "loss.png", "metric.png", "confusion.png")) {
            assertTrue(fs.getFileStatus(new Path(report, f)).getLen() > 0, f);
        }
        assertEquals(0, fs.globStatus(new Path(root + "/*/*.tmp-*")).length, "no temporary folder left");

        // The ML API reads the model back from hdfs:// and predicts the rows it was read with.
        SparkSession spark = SparkTestSupport.session();
        FeedForwardClassificationModel loaded = FeedForwardClassificationModel.load(model);
        Dataset<Row> rows = InputFormats.read(spark, train, "csv", "malignant", null, 30).frame();
        Dataset<Row> predicted = loaded.transform(rows);
        long right = predicted.filter("prediction = malignant").count();
        assertEquals(569, predicted.count());
        assertTrue(right > 0.9 * 569, right + " of 569 right");

        // And the command line: predictions written to hdfs:// as one CSV.
        String output = root + "/predictions.csv";
        CliRunner.Result p = CliRunner.run("predict", "--model", model, "--data", train, "--output", output);
        assertEquals(0, p.code(), p.err());
        List<String> csv = lines(new Path(output));
        assertEquals(570, csv.size());
        assertTrue(csv.get(0).contains(",prediction,probability_0,probability_1"), csv.get(0));
    }

    /**
     * A driver that dies is restarted elsewhere and resumes from hdfs://: mini-batch Adam,
     * checkpointed on 2 partitions, crashed after epoch 3, resumed on 3 partitions, ends within
     * rounding of an uninterrupted run (rows fall in steps by identity, not by partition).
     */
    @Test
    void checkpointsToHdfsAndResumesOnAnotherPartitionCount() throws Exception {
        SparkSession spark = SparkTestSupport.session();
        Dataset<Row> rows = InputFormats.read(spark, root + "/data/breast_cancer.csv", "csv", "malignant", null, 30)
                .frame();
        String dir = root + "/checkpoints/bc";
        FeedForwardClassificationModel straight = estimator().fit(rows.repartition(2));

        RuntimeException crash = assertThrows(RuntimeException.class, () -> estimator().setCheckpointDir(dir)
                .setTrainingListener(new TrainingListener() {
                    @Override
                    public void onEpoch(EpochStats stats, double[] weights) {
                        if (stats.epoch() == 4) {
                            throw new IllegalStateException("driver lost after epoch 4");
                        }
                    }
                }).fit(rows.repartition(2)));
        assertTrue(String.valueOf(crash.getMessage()).contains("driver lost"), String.valueOf(crash));
        assertTrue(fs.exists(new Path(dir, "epoch-000003.committed")), "commit marker of epoch 3 on hdfs://");

        List<Integer> epochsRun = new ArrayList<>();
        FeedForwardClassificationModel resumed = estimator().setCheckpointDir(dir).resumeFromCheckpoint(true)
                .setTrainingListener(new TrainingListener() {
                    @Override
                    public void onEpoch(EpochStats stats, double[] weights) {
                        epochsRun.add(stats.epoch());
                    }
                }).fit(rows.repartition(3));
        assertEquals(List.of(4, 5, 6), epochsRun, "the resumed fit continues after the checkpoint of epoch 3");
        assertEquals(6, resumed.summary().epochs().size());
        double[] a = straight.weights().toArray();
        double[] b = resumed.weights().toArray();
        double maxDiff = 0;
        double maxW = 0;
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
            maxW = Math.max(maxW, Math.abs(a[i]));
        }
        assertTrue(maxDiff / maxW <= 1e-6, "resumed on 3 partitions from hdfs://, weights differ by " + maxDiff / maxW);
    }

    static FeedForwardClassifier estimator() {
        return new FeedForwardClassifier().setLabelCol("malignant").setHiddenLayers(8).setOptimizer("adam")
                .setStepSize(0.01).setBatchSize(64).setMaxEpochs(6).setSeed(7);
    }

    static List<String> lines(Path file) throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        }
        return lines;
    }
}
