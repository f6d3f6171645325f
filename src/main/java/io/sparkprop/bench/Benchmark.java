package io.sparkprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Backprop;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Precision;
import io.sparkprop.nn.Topology;
import io.sparkprop.nn.WeightInit;
import io.sparkprop.optim.GradientDescent;
import io.sparkprop.spark.InputFormats;
import io.sparkprop.spark.ResidentGradientSource;
import io.sparkprop.spark.ShardTask;
import io.sparkprop.spark.SparkGradientSource;
import io.sparkprop.spark.SparkTrainer;
import io.sparkprop.spark.TrainingBlocks;
import io.sparkprop.train.GradientSource;
import io.sparkprop.train.Step;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.feature.ElementwiseProduct;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * One Spark application that measures, over the same cached data and BLAS: sparkprop's and
 * Spark MLP's seconds per full-batch iteration (interleaved rounds, so noise hits both), the
 * dgemm rate of the shapes an iteration uses (run as Spark tasks, one per core), the share of a
 * mini-batch step spent outside forward/backward, and the time to load data into cached blocks.
 * Its hooks into a step are {@link ShardTask.Decorator}s: nothing in the trainer knows it exists.
 */
public final class Benchmark {
    static final String FASHION = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
    static final String FASHION_TEST = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";
    static final int[] LAYERS = {784, 256, 10};
    static final double STEP_SIZE = 0.03;

    private final SparkSession spark;
    private final PrintWriter out;

    public Benchmark(SparkSession spark, PrintWriter out) {
        this.spark = spark;
        this.out = out;
    }

    public Map<String, Object> run(String dataName, int syntheticRows, int iterations, int rounds, int batchSteps) {
        Map<String, Object> json = new LinkedHashMap<>();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        boolean fashion = dataName.equals("fashion-mnist") && Files.exists(Path.of(FASHION));
        if (dataName.equals("fashion-mnist") && !fashion) {
            out.println("Fashion-MNIST not found at " + FASHION + " (apt-get install dataset-fashion-mnist);"
                    + " using synthetic data of the same shape");
        }
        Dataset<Row> data = (fashion ? fashion(FASHION) : syntheticFrame(spark, syntheticRows, jsc.defaultParallelism())).persist(StorageLevel.MEMORY_AND_DISK());
        long rows = data.count();
        json.put("date", java.time.LocalDate.now().toString());
        json.put("data", fashion ? "fashion-mnist" : "synthetic");
        json.put("rows", rows);
        json.put("master", spark.sparkContext().master());
        json.put("cores", jsc.defaultParallelism());
        json.put("blas", blasName());
        json.put("simdSigmoid", Backprop.simdSigmoid());
        json.put("openblasThreads", System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "(unset)"));
        json.put("network", "784-256-10 sigmoid, softmax + cross-entropy, full-batch gd, stepSize " + STEP_SIZE);
        out.printf(Locale.ROOT, "benchmark: %s, %,d rows, %s, %d cores, BLAS %s, SIMD sigmoid %s%n", json.get("data"),
                rows, json.get("master"), jsc.defaultParallelism(), blasName(),
                Backprop.simdSigmoid() ? "on" : "off (add --add-modules=jdk.incubator.vector to the JVMs)");

        Topology net = new Topology(LAYERS, Activation.SIGMOID, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        double[] w0 = WeightInit.initialWeights(net, 1);
        TargetEncoder targets = TargetEncoder.classes(10, Loss.CROSS_ENTROPY);

        long loadStart = System.nanoTime();
        TrainingBlocks blocks = TrainingBlocks.prepare(data, "features", "label", 784, targets, null,
                SparkTrainer.DEFAULT_BLOCK_ROWS, "benchmark data");
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        json.put("loadSeconds", loadSeconds);
        out.printf(Locale.ROOT, "load into cached blocks: %.2f s%n", loadSeconds);
        TrainingBlocks blocks32 = TrainingBlocks.prepare(data, "features", "label", null, null, 784, targets, null,
                SparkTrainer.DEFAULT_BLOCK_ROWS, Precision.FLOAT32, "benchmark data");
        long bytes64 = cachedBytes(blocks);
        long bytes32 = cachedBytes(blocks32);
        json.put("cachedBytesFloat64", bytes64);
        json.put("cachedBytesFloat32", bytes32);
        json.put("cachedBytesRatio", (double) bytes32 / bytes64);
        out.printf(Locale.ROOT, "cached training blocks (Spark's storage info): float64 %.1f MB, float32 %.1f MB;"
                + " ratio %.3f%n", bytes64 / 1e6, bytes32 / 1e6, (double) bytes32 / bytes64);

        ComputeTimer timer = new ComputeTimer(spark.sparkContext());
        try (SparkGradientSource source = new SparkGradientSource(blocks, net, SparkTrainer.DEFAULT_MAX_COLUMNS,
                timer);
             SparkGradientSource source32 = new SparkGradientSource(blocks32, net, SparkTrainer.DEFAULT_MAX_COLUMNS)) {
            List<Double> ours32 = new ArrayList<>();
            List<Double> ours = new ArrayList<>();
            List<Double> oursCompute = new ArrayList<>();
            List<Double> theirs = new ArrayList<>();
            List<Double> dgemmRates = new ArrayList<>();
            List<Double> dgemmShares = new ArrayList<>();
            double flops = iterationFlops(net, rows);
            MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier().setLayers(LAYERS)
                    .setSolver("gd").setStepSize(STEP_SIZE).setTol(0).setSeed(1)
                    .setInitialWeights(Vectors.dense(w0));
            double[] w = w0.clone();
            GradientDescent gd = new GradientDescent();
            source.gradient(w, new Step(1, 1, 0, 1)); // warm-up: JIT, workspaces
            source32.gradient(w, new Step(1, 1, 0, 1));
            mlp.setMaxIter(2).fit(data);
            double[] w32 = w0.clone();
            for (int r = 1; r <= rounds; r++) {
                for (int i = 0; i < iterations; i++) {
                    ours32.add(secondsOf(() -> {
                        GradientSum sum = source32.gradient(w32, new Step(1, 1, 0, 1));
                        gd.stepInPlace(w32, sum.meanGradientInPlace(), STEP_SIZE);
                    }));
                }
                for (int i = 0; i < iterations; i++) {
                    timer.reset();
                    ours.add(secondsOf(() -> {
                        GradientSum sum = source.gradient(w, new Step(1, 1, 0, 1));
                        gd.stepInPlace(w, sum.meanGradientInPlace(), STEP_SIZE);
                    }));
                    oursCompute.add(timer.slowestNanos() / 1e9);
                }
                // Spark MLP's iterations, as the difference of two fits; its one-iteration fit
                // (the fixed cost) is taken before and after, and the shorter kept, so that one
                // stall there cannot make the difference small or negative.
                double oneIteration = secondsOf(() -> mlp.setMaxIter(1).fit(data));
                double more = secondsOf(() -> mlp.setMaxIter(1 + iterations).fit(data));
                oneIteration = Math.min(oneIteration, secondsOf(() -> mlp.setMaxIter(1).fit(data)));
                double perIteration = (more - oneIteration) / iterations;
                theirs.add(perIteration);
                // dgemm in every round too, so that its share is a ratio of figures taken together.
                double rate = dgemmRate(jsc, SparkTrainer.DEFAULT_MAX_COLUMNS, 0.5);
                double roundOurs = median(ours.subList(ours.size() - iterations, ours.size()));
                dgemmRates.add(rate);
                dgemmShares.add(flops / roundOurs / 1e9 / rate);
                out.printf(Locale.ROOT, "round %d: sparkprop float32 %.3f s/iteration, float64 %.3f s/iteration, Spark"
                        + " MLP %.3f s/iteration, dgemm %.1f GFLOP/s%n", r,
                        median(ours32.subList(ours32.size() - iterations, ours32.size())), roundOurs, perIteration,
                        rate);
            }
            double oursMedian = median(ours);
            double theirsMedian = median(theirs);
            double ours32Median = median(ours32);
            json.put("sparkpropFloat32SecondsPerIteration", ours32Median);
            json.put("float32Ratio", ours32Median / theirsMedian);
            out.printf(Locale.ROOT, "full batch, float32: sparkprop %.3f s per iteration (median); ratio to Spark MLP"
                    + " %.2f%n", ours32Median, ours32Median / theirsMedian);
            json.put("sparkpropSecondsPerIteration", oursMedian);
            json.put("sparkMlpSecondsPerIteration", theirsMedian);
            json.put("ratio", oursMedian / theirsMedian);
            json.put("fullBatchShareOutsideForwardBackward", 1 - median(oursCompute) / oursMedian);
            out.printf(Locale.ROOT, "full batch: sparkprop %.3f s, Spark MLP %.3f s per iteration (medians); ratio %.2f;"
                            + " %.1f%% of sparkprop's iteration outside forward/backward%n", oursMedian, theirsMedian,
                    oursMedian / theirsMedian, 100 * (1 - median(oursCompute) / oursMedian));

            double dgemmRate = median(dgemmRates);
            double achieved = flops / oursMedian / 1e9;
            json.put("flopsPerIteration", flops);
            json.put("dgemmGflops", dgemmRate);
            json.put("sparkpropGflops", achieved);
            json.put("shareOfDgemm", median(dgemmShares));
            out.printf(Locale.ROOT, "dgemm on the iteration's shapes, all cores: %.1f GFLOP/s; sparkprop achieves %.1f"
                    + " GFLOP/s; per round, %.0f%% of that round's dgemm (median)%n", dgemmRate, achieved,
                    100 * median(dgemmShares));

            int steps = (int) Math.min(batchSteps, (rows + 1023) / 1024);
            int stepsPerEpoch = (int) ((rows + 1023) / 1024);
            List<Double> outside = new ArrayList<>();
            List<Double> stepSeconds = new ArrayList<>();
            for (int s = 0; s < steps; s++) {
                timer.reset();
                Step step = new Step(1, 1, s, stepsPerEpoch);
                double wall = secondsOf(() -> {
                    GradientSum sum = source.gradient(w, step);
                    gd.stepInPlace(w, sum.meanGradientInPlace(), STEP_SIZE);
                });
                stepSeconds.add(wall);
                outside.add(1 - timer.slowestNanos() / 1e9 / wall);
            }
            List<Double> empty = emptyStepSeconds(new SparkGradientSource(blocks, net, SparkTrainer.DEFAULT_MAX_COLUMNS,
                    task -> TRANSPORT_ONLY), w, 200);
            double floor = median(empty.subList(0, 40));
            double warmFloor = median(empty.subList(160, 200));
            json.put("sparkJobFloorSeconds", floor);
            json.put("sparkJobFloorWarmSeconds", warmFloor);
            out.printf(Locale.ROOT, "a step that moves the weights and gradient sums but computes nothing: %.1f ms"
                    + " (median of the first 40), %.1f ms after 160 such steps (median of the next 40)%n", 1000 * floor,
                    1000 * warmFloor);
            ResidentGradientSource resident = new ResidentGradientSource(blocks, net,
                    SparkTrainer.DEFAULT_MAX_COLUMNS, task -> TRANSPORT_ONLY);
            List<Double> emptyResident = emptyStepSeconds(resident, w, 200);
            resident.pause();
            if (resident.fallbackReason() != null) {
                out.println("step tasks that outlive a step could not run (" + resident.fallbackReason()
                        + "): the next line is a job a step again");
            }
            json.put("residentEmptyStepSeconds", median(emptyResident.subList(0, 40)));
            json.put("residentEmptyStepWarmSeconds", median(emptyResident.subList(160, 200)));
            out.printf(Locale.ROOT, "the same on step tasks that outlive a step (stepMode=resident, the default):"
                    + " %.1f ms (first 40), %.1f ms (after 160)%n", 1000 * median(emptyResident.subList(0, 40)),
                    1000 * median(emptyResident.subList(160, 200)));
            double bare = bareJobFloor(jsc, blocks.rdd().getNumPartitions(), 40);
            json.put("sparkBareJobSeconds", bare);
            out.printf(Locale.ROOT, "a bare Spark job on as many partitions, nothing sent or returned, after those: %.1f"
                    + " ms (median of 40)%n", 1000 * bare);
            json.put("batch1024StepSeconds", median(stepSeconds));
            json.put("batch1024ShareOutsideForwardBackward", median(outside));
            out.printf(Locale.ROOT, "batch 1024: %.1f ms per step (median of %d), %.0f%% outside forward/backward%n",
                    1000 * median(stepSeconds), steps, 100 * median(outside));

            Dataset<Row> test = (fashion ? fashion(FASHION_TEST)
                    : syntheticFrame(spark, Math.min(10_000, syntheticRows), jsc.defaultParallelism()))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            json.putAll(new TransformBenchmark(out).run(data, test, LAYERS, Math.max(rounds, 9)));
            test.unpersist(false);
        } finally {
            data.unpersist(false);
        }
        return json;
    }

    private Dataset<Row> fashion(String images) {
        Dataset<Row> raw = InputFormats.read(spark, images, "idx", "label", "features", 784).frame();
        double[] scale = new double[784];
        java.util.Arrays.fill(scale, 1.0 / 255);
        return new ElementwiseProduct().setScalingVec(Vectors.dense(scale)).setInputCol("features")
                .setOutputCol("scaled").transform(raw).select("scaled", "label").withColumnRenamed("scaled", "features");
    }

    /** {@code rows} rows of 784 uniform features and a label of 10 classes, made on the executors in {@code slices} partitions. */
    static Dataset<Row> syntheticFrame(SparkSession spark, int rows, int slices) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> rdd = jsc.parallelize(indices(slices), slices).flatMap(slice -> {
            int from = (int) ((long) slice * rows / slices);
            int to = (int) ((long) (slice + 1) * rows / slices);
            SplittableRandom random = new SplittableRandom(slice);
            List<Row> part = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                double[] x = new double[784];
                for (int j = 0; j < 784; j++) {
                    x[j] = random.nextDouble();
                }
                part.add(RowFactory.create(Vectors.dense(x), (double) random.nextInt(10)));
            }
            return part.iterator();
        });
        StructType schema = new StructType().add("features", new VectorUDT(), false)
                .add("label", DataTypes.DoubleType, false);
        return spark.createDataFrame(rdd, schema);
    }

    /** Forward Z = W A for every layer, backward S_W = dZ A^T for every layer, dA = W^T dZ above the first. */
    static double iterationFlops(Topology t, long rows) {
        double flops = 0;
        for (int l = 1; l <= t.layerCount(); l++) {
            double gemm = 2.0 * t.width(l) * t.width(l - 1) * rows;
            flops += l == 1 ? 2 * gemm : 3 * gemm;
        }
        return flops;
    }

    /**
     * dgemm GFLOP/s over all task slots, each task timing the three first-layer products of a
     * block of {@code cols} samples (the bulk of an iteration's flops) with the BLAS tasks use, for
     * about {@code seconds}.
     */
    static double dgemmRate(JavaSparkContext jsc, int cols, double seconds) {
        long nanos = (long) (seconds * 1e9);
        int slots = jsc.defaultParallelism();
        List<Double> rates = jsc.parallelize(indices(slots), slots).map(id -> {
            BLAS blas = BLAS.getInstance();
            int m = 256;
            int k = 784;
            SplittableRandom r = new SplittableRandom(id);
            double[] w = r.doubles((long) m * k).toArray();
            double[] x = r.doubles((long) k * cols).toArray();
            double[] z = new double[m * cols];
            double[] gw = new double[m * k];
            for (int i = 0; i < 3; i++) { // warm-up
                blas.dgemm("N", "N", m, cols, k, 1.0, w, m, x, k, 0.0, z, m);
            }
            long start = System.nanoTime();
            int reps = 0;
            while (System.nanoTime() - start < nanos) {
                blas.dgemm("N", "N", m, cols, k, 1.0, w, m, x, k, 0.0, z, m);      // forward
                blas.dgemm("N", "T", m, k, cols, 1.0, z, m, x, k, 1.0, gw, m);      // S_W += dZ X^T
                reps++;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            return reps * 2 * 2.0 * m * k * cols / elapsed / 1e9;
        }).collect();
        return rates.stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * A task with the backprop left out: the weights go out and a gradient-sized (zero) sum comes
     * back from every partition. What Spark alone costs a step.
     */
    static final ShardTask TRANSPORT_ONLY = new TransportOnly();

    private static final class TransportOnly implements ShardTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(double[] weights, int partition, io.sparkprop.train.Shard shard,
                        io.sparkprop.train.ShardWorkspace ws, GradientSum into) {
            into.sums();
        }
    }

    /** What Spark's storage info says the blocks take, in memory and on disk. */
    static long cachedBytes(TrainingBlocks blocks) {
        int id = blocks.rdd().id();
        for (org.apache.spark.storage.RDDInfo info : blocks.rdd().context().getRDDStorageInfo()) {
            if (info.id() == id) {
                return info.memSize() + info.diskSize();
            }
        }
        throw new IllegalStateException("the training blocks (RDD " + id + ") are not cached");
    }

    /** The name of the BLAS implementation in use (e.g. JNIBLAS, VectorBLAS, Java11BLAS). */
    static String blasName() {
        return BLAS.getInstance().getClass().getSimpleName();
    }

    /**
     * The seconds of each of {@code jobs} steps of {@code transportOnly} (a source whose tasks move
     * the weights and gradient sums but compute nothing), in order. Not closed: it shares the
     * blocks. Early and late differ: on two executor JVMs the first 40 took 1.5x to 1.8x what 40
     * took after 160 (JIT warm-up of Spark's task path, README), and a training run spends nearly
     * all of its steps warm.
     */
    static List<Double> emptyStepSeconds(GradientSource transportOnly, double[] weights, int jobs) {
        List<Double> seconds = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            seconds.add(secondsOf(() -> transportOnly.gradient(weights, new Step(1, 1, 0, 1))));
        }
        return seconds;
    }

    /**
     * Spark's own price of a job, which no step can go under: one task per partition over a cached
     * RDD of nothing, each doing nothing, with no closure to clean (a named function class).
     */
    static double bareJobFloor(JavaSparkContext jsc, int partitions, int jobs) {
        JavaRDD<Integer> rdd = jsc.parallelize(indices(partitions), partitions).persist(StorageLevel.MEMORY_ONLY());
        try {
            rdd.count();
            List<Double> seconds = new ArrayList<>();
            for (int j = 0; j < jobs; j++) {
                seconds.add(secondsOf(() -> rdd.foreachPartition(NOTHING)));
            }
            return median(seconds);
        } finally {
            rdd.unpersist(false);
        }
    }

    private static final NothingPerPartition NOTHING = new NothingPerPartition();

    private static final class NothingPerPartition implements VoidFunction<Iterator<Integer>> {
        private static final long serialVersionUID = 1L;

        @Override
        public void call(Iterator<Integer> partition) {
            // a task that only exists
        }
    }

    /** 0 .. n-1, one element for each partition of a job that makes its own data or work. */
    private static List<Integer> indices(int n) {
        List<Integer> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(i);
        }
        return ids;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The wall-clock seconds {@code work} takes. */
    static double secondsOf(Runnable work) {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }
}
