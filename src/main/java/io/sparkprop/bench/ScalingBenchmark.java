package io.sparkprop.bench;

import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import io.sparkprop.nn.WeightInit;
import io.sparkprop.spark.ResidentGradientSource;
import io.sparkprop.spark.SparkGradientSource;
import io.sparkprop.spark.SparkTrainer;
import io.sparkprop.spark.TrainingBlocks;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * What a step costs as the executors multiply: the same steps of the shipped Fashion-MNIST
 * network (784-256-128-10, batch 2048, float64) and a step that computes nothing, timed part by
 * part in local mode and on real executor JVMs (local-cluster with 1, 2 and 4 executors of one
 * core), or on the cluster the benchmark was submitted to, both as a job a step
 * ({@link StepAnatomy}) and on step tasks ({@link StepTaskTiming}); then a model of each
 * ({@link ScalingModel}, {@link StepTaskModel}) fitted to those runs, checked against them, and
 * its predictions for 8 to 256 executors on a given network.
 */
public final class ScalingBenchmark {
    static final int[] NETWORK = {784, 256, 128, 10};
    static final int[] WIDE_NETWORK = {784, 2560, 1280, 10};
    static final int BATCH = 2048;
    static final int[] PREDICT_AT = {8, 32, 128, 256};

    private final Function<String, SparkSession> sessions;
    private final PrintWriter out;

    /** @param sessions a session for a master URL; each is stopped before the next starts */
    public ScalingBenchmark(Function<String, SparkSession> sessions, PrintWriter out) {
        this.sessions = sessions;
        this.out = out;
    }

    /**
     * @param masters      where to measure; local-cluster[P,1,MB] masters give the fit its points
     * @param steps        timed steps of each kind per master
     * @param bandwidthGbit network the predictions are for, Gbit/s
     * @param latencyMs    its one-way latency, ms
     * @param whatIfDriverMsPerExecutor b for a second set of predictions, an assumption printed as one
     */
    public Map<String, Object> run(List<String> masters, int steps, double bandwidthGbit, double latencyMs,
                                   double whatIfDriverMsPerExecutor) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", java.time.LocalDate.now().toString());
        json.put("network", "784-256-128-10 relu, softmax + cross-entropy, batch " + BATCH);
        json.put("blas", Benchmark.blasName());
        List<Map<String, Object>> runs = new ArrayList<>();
        List<Integer> clusterPoints = new ArrayList<>();
        List<Double> clusterOverheads = new ArrayList<>();
        List<Double> clusterWalls = new ArrayList<>();
        double computePerRow = Double.NaN;
        double perTask = Double.NaN;
        double updatePerParameter = Double.NaN;
        double splitCompute = Double.NaN; // a task's compute in local mode, the batch split over its slots
        int splitSlots = 0;
        // label, parts, label, parts, ...: printed after the job a step's table
        List<Object> stepTaskRows = new ArrayList<>();
        List<Double> stepTaskOverheads = new ArrayList<>();
        List<Double> stepTaskWalls = new ArrayList<>();
        double stepTaskComputePerRow = Double.NaN;
        Topology net = new Topology(NETWORK, Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        double mergePerParameter = mergeSecondsPerParameter(net.parameterCount());
        out.printf(Locale.ROOT, "%-26s %5s %8s %8s %8s %8s %8s %8s %8s %8s %7s %9s%n", "master", "P", "step ms",
                "sched", "task in", "compute", "task+", "sums bk", "merge", "update", "KB out", "KB back");
        for (String master : masters) {
            SparkSession spark = sessions.apply(master);
            try {
                int executors = executorCount(spark, master);
                awaitExecutors(spark, master, executors);
                // One partition a core: Spark's default parallelism is at least 2, even on one core.
                int cores = taskSlots(spark, master);
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("master", master);
                run.put("executors", executors);
                run.put("cores", cores);
                StepAnatomy.Parts empty = measure(spark, net, cores, steps, true);
                StepAnatomy.Parts batch = measure(spark, net, cores, steps, false);
                print(master + " (empty)", empty);
                print(master + " (batch)", batch);
                run.put("emptyStep", partsJson(empty));
                run.put("batchStep", partsJson(batch));
                StepTaskTiming.Parts residentEmpty = measureOnStepTasks(spark, net, cores, steps, true);
                StepTaskTiming.Parts residentBatch = measureOnStepTasks(spark, net, cores, steps, false);
                stepTaskRows.add(master + " (empty)");
                stepTaskRows.add(residentEmpty);
                stepTaskRows.add(master + " (batch)");
                stepTaskRows.add(residentBatch);
                run.put("emptyStepOnStepTasks", partsJson(residentEmpty));
                run.put("batchStepOnStepTasks", partsJson(residentBatch));
                runs.add(run);
                if (master.startsWith("local[")) {
                    splitCompute = batch.computeMs() / 1000;
                    splitSlots = cores;
                }
                if (master.startsWith("local-cluster") && residentBatch.fallback() == null) {
                    stepTaskOverheads.add((residentBatch.exchangeMs() + residentBatch.updateMs()) / 1000);
                    stepTaskWalls.add((residentBatch.wallMs() + residentBatch.updateMs()) / 1000);
                    if (executors == 1) {
                        stepTaskComputePerRow = residentBatch.computeMs() / 1000 / BATCH;
                    }
                }
                if (master.startsWith("local-cluster")) {
                    clusterPoints.add(executors);
                    clusterOverheads.add(batch.driverMs() / 1000);
                    clusterWalls.add(batch.wallMs() / 1000);
                    if (executors == 1) {
                        computePerRow = batch.computeMs() / 1000 / BATCH;
                        perTask = (batch.taskInMs() + batch.taskOtherMs()) / 1000;
                        updatePerParameter = batch.updateMs() / 1000 / net.parameterCount();
                    }
                }
            } finally {
                spark.stop();
            }
        }
        json.put("runs", runs);
        json.put("mergeNanosPerParameter", mergePerParameter * 1e9);
        out.printf(Locale.ROOT, "%nthe same steps on step tasks (stepMode=resident, the default): no job a step%n");
        out.printf(Locale.ROOT, "%-26s %5s %8s %8s %9s %8s %7s %9s%n", "master", "P", "step ms", "compute", "exchange",
                "update", "KB out", "KB back");
        for (int i = 0; i < stepTaskRows.size(); i += 2) {
            print((String) stepTaskRows.get(i), (StepTaskTiming.Parts) stepTaskRows.get(i + 1));
        }
        if (clusterPoints.size() >= 2 && !Double.isNaN(computePerRow)) {
            // The local-cluster executors share this machine's cores: how much work those give
            // together, measured in local mode, or else taken as their count.
            boolean measured = !Double.isNaN(splitCompute);
            double throughput = measured
                    ? ScalingModel.parallelThroughput(computePerRow * BATCH, splitCompute, splitSlots)
                    : physicalCores();
            json.put("machineThroughputCores", throughput);
            out.printf(Locale.ROOT, "this machine's %d cores do %.2fx one core's compute together (%s)%n",
                    physicalCores(), throughput,
                    measured ? "local mode against one executor" : "assumed: no local-mode run");
            json.put("model", model(net, clusterPoints, throughput, clusterOverheads, clusterWalls, perTask,
                    computePerRow, mergePerParameter, updatePerParameter, bandwidthGbit, latencyMs,
                    whatIfDriverMsPerExecutor));
            if (stepTaskOverheads.size() == clusterPoints.size() && !Double.isNaN(stepTaskComputePerRow)) {
                json.put("stepTaskModel", stepTaskModel(net, clusterPoints, throughput, stepTaskOverheads,
                        stepTaskWalls, stepTaskComputePerRow, mergePerParameter, updatePerParameter, bandwidthGbit,
                        latencyMs));
            } else {
                out.println("no model of step tasks: they fell back to a job a step on some local-cluster run");
            }
        } else {
            out.println("no scaling model: it needs local-cluster runs with 1 executor and at least one more count");
        }
        return json;
    }

    private Map<String, Object> model(Topology net, List<Integer> points, double throughput,
                                      List<Double> overheads, List<Double> walls, double perTask,
                                      double computePerRow, double mergePerParameter, double updatePerParameter,
                                      double bandwidthGbit, double latencyMs, double whatIfDriverMsPerExecutor) {
        int[] p = points.stream().mapToInt(Integer::intValue).toArray();
        double[] o = overheads.stream().mapToDouble(Double::doubleValue).toArray();
        // Here the network is loopback: its bytes and latency are in the fitted a + b P.
        ScalingModel local = ScalingModel.fit(p, o, perTask, computePerRow, mergePerParameter, updatePerParameter,
                net.parameterCount(), Double.POSITIVE_INFINITY, 0);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("perStepMs", local.perStepSeconds() * 1000);
        json.put("perExecutorMs", local.perExecutorSeconds() * 1000);
        json.put("perTaskMs", perTask * 1000);
        json.put("computeMicrosPerRow", computePerRow * 1e6);
        json.put("updateNanosPerParameter", updatePerParameter * 1e9);
        out.printf(Locale.ROOT, "%nmodel fitted on local-cluster: a = %.1f ms a step, b = %.1f ms an executor,"
                        + " e = %.1f ms a task, c = %.2f us a row, merge %.2f ns and update %.2f ns a parameter%n",
                local.perStepSeconds() * 1000, local.perExecutorSeconds() * 1000, perTask * 1000, computePerRow * 1e6,
                mergePerParameter * 1e9, updatePerParameter * 1e9);
        // Here the executors' compute and each task's own costs queue for the shared cores.
        json.put("fit", checkFit(p, walls, q -> local.stepSecondsSharing(q, BATCH, throughput)));
        ScalingModel network = local.onNetwork(bandwidthGbit * 1e9 / 8, latencyMs / 1000);
        Map<String, Object> predictions = predictions(network, net, "", "");
        // b measured here includes executors contending with the driver for two cores; what the
        // predictions become with a driver of its own is a what-if, printed as one.
        out.printf(Locale.ROOT, "%nwhat-if (an assumption, not a measurement): b = %.2f ms an executor%n",
                whatIfDriverMsPerExecutor);
        predictions.putAll(predictions(network.withPerExecutorSeconds(whatIfDriverMsPerExecutor / 1000), net,
                "what-if b=" + whatIfDriverMsPerExecutor + "ms: ", ""));
        json.put("bandwidthGbit", bandwidthGbit);
        json.put("latencyMs", latencyMs);
        json.put("predictions", predictions);
        return json;
    }

    private Map<String, Object> stepTaskModel(Topology net, List<Integer> points, double throughput,
                                              List<Double> overheads, List<Double> walls, double computePerRow,
                                              double mergePerParameter, double updatePerParameter,
                                              double bandwidthGbit, double latencyMs) {
        int[] p = points.stream().mapToInt(Integer::intValue).toArray();
        double[] o = overheads.stream().mapToDouble(Double::doubleValue).toArray();
        // float64 here: the weights out and the sums back as doubles
        StepTaskModel local = StepTaskModel.fit(p, o, computePerRow, mergePerParameter, updatePerParameter,
                net.parameterCount(), 2 * Double.BYTES);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("perStepMs", local.perStepSeconds() * 1000);
        json.put("perTaskMs", local.perTaskSeconds() * 1000);
        json.put("computeMicrosPerRow", computePerRow * 1e6);
        out.printf(Locale.ROOT, "%nstep tasks' model fitted on local-cluster: a = %.2f ms a step, b = %.2f ms a task,"
                + " c = %.2f us a row%n", local.perStepSeconds() * 1000, local.perTaskSeconds() * 1000,
                computePerRow * 1e6);
        json.put("fit", checkFit(p, walls, q -> local.stepSecondsSharing(q, BATCH, throughput)));
        Map<String, Object> predictions = predictions(local.onNetwork(bandwidthGbit * 1e9 / 8, latencyMs / 1000), net,
                "", " on step tasks");
        json.put("predictions", predictions);
        return json;
    }

    /** The model's step time (queueing for this machine's cores) against each one measured, printed and as rows. */
    private List<Map<String, Object>> checkFit(int[] p, List<Double> walls,
                                               java.util.function.IntToDoubleFunction modelSeconds) {
        List<Map<String, Object>> fit = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            double predicted = modelSeconds.applyAsDouble(p[i]);
            double error = predicted / walls.get(i) - 1;
            fit.add(Map.of("executors", p[i], "measuredMs", walls.get(i) * 1000, "predictedMs", predicted * 1000,
                    "error", error));
            out.printf(Locale.ROOT, "fit: P=%d measured %.1f ms, model %.1f ms (%+.0f%%)%n", p[i],
                    walls.get(i) * 1000, predicted * 1000, 100 * error);
        }
        return fit;
    }

    /** Predictions for the Fashion-MNIST network and one 10x wider, keyed by {@code key} + the network. */
    private Map<String, Object> predictions(StepCostModel m, Topology net, String key, String label) {
        Topology wide = new Topology(WIDE_NETWORK, Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        double flopsRatio = Benchmark.iterationFlops(wide, 1) / Benchmark.iterationFlops(net, 1);
        Map<String, Object> predictions = new LinkedHashMap<>();
        predictions.put(key + "fashion-mnist 784-256-128-10", predict(m, "784-256-128-10" + label));
        predictions.put(key + "10x wider 784-2560-1280-10",
                predict(m.forNetwork(wide.parameterCount(), flopsRatio), "784-2560-1280-10" + label));
        return predictions;
    }

    private List<Map<String, Object>> predict(StepCostModel m, String name) {
        out.printf(Locale.ROOT, "%n%s (%,d parameters), batch %d: %5s %10s %10s %12s %12s%n", name, m.parameters(),
                BATCH, "P", "step ms", "efficiency", "batch@80%", "driver ms");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int p : PREDICT_AT) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("executors", p);
            row.put("stepMs", m.stepSeconds(p, BATCH) * 1000);
            row.put("efficiency", m.efficiency(p, BATCH));
            row.put("batchFor80PercentEfficiency", Math.ceil(m.batchForEfficiency(p, 0.8)));
            row.put("driverMs", m.driverSeconds(p) * 1000);
            rows.add(row);
            out.printf(Locale.ROOT, "%s %5d %10.1f %10.2f %,12.0f %12.1f%n", " ".repeat(name.length() + 30), p,
                    m.stepSeconds(p, BATCH) * 1000, m.efficiency(p, BATCH), Math.ceil(m.batchForEfficiency(p, 0.8)),
                    m.driverSeconds(p) * 1000);
        }
        int bound = m.driverBoundFrom(BATCH);
        int boundLarge = m.driverBoundFrom(8 * BATCH);
        out.printf(Locale.ROOT, "the driver's work passes an executor's compute from P = %s (batch %d), %s (batch %d)%n",
                bound < 0 ? "never up to 4096" : Integer.toString(bound), BATCH,
                boundLarge < 0 ? "never up to 4096" : Integer.toString(boundLarge), 8 * BATCH);
        rows.add(Map.of("driverBoundFromExecutors", bound, "atBatch", BATCH));
        rows.add(Map.of("driverBoundFromExecutors", boundLarge, "atBatch", 8 * BATCH));
        return rows;
    }

    private StepAnatomy.Parts measure(SparkSession spark, Topology net, int partitions, int steps, boolean empty) {
        int rows = 8 * BATCH;
        Dataset<Row> data = syntheticRows(spark, rows, partitions);
        TrainingBlocks blocks = blocksOf(data);
        ComputeTimer timer = new ComputeTimer(spark.sparkContext());
        try (SparkGradientSource source = new SparkGradientSource(blocks, net, SparkTrainer.DEFAULT_MAX_COLUMNS,
                empty ? task -> timer.apply(Benchmark.TRANSPORT_ONLY) : timer)) {
            return StepAnatomy.measure(spark.sparkContext(), source, timer, WeightInit.initialWeights(net, 1),
                    rows / BATCH, 10, steps, executorCount(spark, spark.sparkContext().master()), partitions);
        } finally {
            data.unpersist(false);
        }
    }

    private StepTaskTiming.Parts measureOnStepTasks(SparkSession spark, Topology net, int partitions, int steps,
                                                   boolean empty) {
        int rows = 8 * BATCH;
        Dataset<Row> data = syntheticRows(spark, rows, partitions);
        TrainingBlocks blocks = blocksOf(data);
        ComputeTimer timer = new ComputeTimer(spark.sparkContext());
        ResidentGradientSource source = new ResidentGradientSource(blocks, net, SparkTrainer.DEFAULT_MAX_COLUMNS,
                empty ? task -> timer.apply(Benchmark.TRANSPORT_ONLY) : timer);
        try {
            return StepTaskTiming.measure(source, timer, WeightInit.initialWeights(net, 1), rows / BATCH, 10, steps,
                    executorCount(spark, spark.sparkContext().master()), partitions, Double.BYTES);
        } finally {
            source.pause();
            data.unpersist(false);
        }
    }

    /** The benchmark's synthetic rows, cached: unpersist them when done. */
    private static Dataset<Row> syntheticRows(SparkSession spark, int rows, int partitions) {
        Dataset<Row> data = Benchmark.syntheticFrame(spark, rows, partitions).persist(StorageLevel.MEMORY_AND_DISK());
        data.count();
        return data;
    }

    private static TrainingBlocks blocksOf(Dataset<Row> data) {
        return TrainingBlocks.prepare(data, "features", "label", 784, TargetEncoder.classes(10, Loss.CROSS_ENTROPY),
                null, SparkTrainer.DEFAULT_BLOCK_ROWS, "benchmark data");
    }

    /** Seconds to add one gradient sum into another, a parameter: the driver's merge is one daxpy. */
    static double mergeSecondsPerParameter(int parameters) {
        double[] total = new double[parameters];
        double[] part = new double[parameters];
        java.util.Arrays.fill(part, 0.5);
        dev.ludovic.netlib.blas.BLAS blas = dev.ludovic.netlib.blas.BLAS.getInstance();
        List<Double> seconds = new ArrayList<>();
        for (int r = 0; r < 200; r++) {
            seconds.add(Benchmark.secondsOf(() -> blas.daxpy(parameters, 1.0, part, 1, total, 1)));
        }
        return Benchmark.median(seconds.subList(50, seconds.size())) / parameters;
    }

    private void print(String label, StepAnatomy.Parts p) {
        out.printf(Locale.ROOT, "%-26s %5d %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %7d %9d%n", label,
                p.executors(), p.wallMs(), p.scheduleMs(), p.taskInMs(), p.computeMs(), p.taskOtherMs(),
                p.sumsBackMs(), p.mergeMs(), p.updateMs(), p.weightBytesPerTask() / 1024,
                p.resultBytesPerStep() / 1024);
    }

    private void print(String label, StepTaskTiming.Parts p) {
        out.printf(Locale.ROOT, "%-26s %5d %8.1f %8.1f %9.1f %8.1f %7d %9d%s%n", label, p.executors(), p.wallMs(),
                p.computeMs(), p.exchangeMs(), p.updateMs(), p.weightBytesPerTask() / 1024, p.sumBytesPerStep() / 1024,
                p.fallback() == null ? "" : "  (a job a step: " + p.fallback() + ")");
    }

    private static Map<String, Object> partsJson(StepTaskTiming.Parts p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", p.steps());
        m.put("wallMs", p.wallMs());
        m.put("computeMs", p.computeMs());
        m.put("exchangeMs", p.exchangeMs());
        m.put("updateMs", p.updateMs());
        m.put("weightBytesPerTask", p.weightBytesPerTask());
        m.put("sumBytesPerStep", p.sumBytesPerStep());
        m.put("fallback", p.fallback());
        return m;
    }

    private static Map<String, Object> partsJson(StepAnatomy.Parts p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", p.steps());
        m.put("wallMs", p.wallMs());
        m.put("scheduleMs", p.scheduleMs());
        m.put("taskInMs", p.taskInMs());
        m.put("computeMs", p.computeMs());
        m.put("taskOtherMs", p.taskOtherMs());
        m.put("sumsBackMs", p.sumsBackMs());
        m.put("mergeMs", p.mergeMs());
        m.put("updateMs", p.updateMs());
        m.put("weightBytesPerTask", p.weightBytesPerTask());
        m.put("resultBytesPerStep", p.resultBytesPerStep());
        return m;
    }

    private static final java.util.regex.Pattern LOCAL_CLUSTER =
            java.util.regex.Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,.*");

    /** Executors: P of local-cluster[P,..], else the executors registered (local mode: 1, the driver). */
    static int executorCount(SparkSession spark, String master) {
        java.util.regex.Matcher m = LOCAL_CLUSTER.matcher(master);
        if (m.matches()) {
            return Integer.parseInt(m.group(1));
        }
        if (master.startsWith("local")) {
            return 1;
        }
        return Math.max(1, spark.sparkContext().getExecutorMemoryStatus().size() - 1);
    }

    /** Task slots: P times the cores of local-cluster[P,cores,..], else Spark's default parallelism. */
    static int taskSlots(SparkSession spark, String master) {
        java.util.regex.Matcher m = LOCAL_CLUSTER.matcher(master);
        if (m.matches()) {
            return Integer.parseInt(m.group(1)) * Integer.parseInt(m.group(2));
        }
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).defaultParallelism();
    }

    /** local-cluster's executors register after the context starts; until then its parallelism is a guess. */
    private static void awaitExecutors(SparkSession spark, String master, int executors) {
        if (!master.startsWith("local-cluster")) {
            return;
        }
        long until = System.currentTimeMillis() + 120_000;
        while (spark.sparkContext().getExecutorMemoryStatus().size() < executors + 1) {
            if (System.currentTimeMillis() > until) {
                throw new IllegalStateException(master + ": only " + (spark.sparkContext().getExecutorMemoryStatus()
                        .size() - 1) + " of " + executors + " executors registered within 2 minutes");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for executors", e);
            }
        }
    }

    private static int physicalCores() {
        return Runtime.getRuntime().availableProcessors();
    }
}
