package io.sparkprop.bench;

import io.sparkprop.nn.GradientSum;
import io.sparkprop.optim.Adam;
import io.sparkprop.spark.SparkGradientSource;
import io.sparkprop.train.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

/**
 * Where the wall time of training steps goes on whatever master the session runs: read from
 * Spark's own task records (launch and finish times on the driver's clock, each task's
 * deserialization and run time on its executor, the result's size) and from a timer around the
 * backprop inside each task. Per step, along the task that finished last (the step's critical path):
 *
 * <pre>
 *   schedule  submit -> that task launched           (DAG scheduler, task set, offer, launch message)
 *   taskIn    its executor fetching and deserializing the task (Spark's task binary)
 *   compute   forward/backward over its rows
 *   taskOther the rest of its run time (the weight broadcast, reading cached blocks, packing the sum)
 *   sumsBack  its result serialized, sent, received and deserialized on the driver
 *   merge     the driver after that task: adding the partial sums, ending the job
 *   update    the optimizer's step on the driver (Adam over every parameter)
 * </pre>
 */
final class StepAnatomy {

    /** Medians over the steps, in milliseconds; bytes per step. */
    record Parts(int executors, int partitions, int steps, double wallMs, double scheduleMs, double taskInMs,
                 double computeMs, double taskOtherMs, double sumsBackMs, double mergeMs, double updateMs,
                 long weightBytesPerTask, long resultBytesPerStep) {

        /** The driver's part: scheduling, taking the sums back, merging them, the update. */
        double driverMs() {
            return scheduleMs + sumsBackMs + mergeMs + updateMs;
        }
    }

    private StepAnatomy() {
    }

    /**
     * Runs {@code steps} steps (after {@code warmUp} untimed ones) of {@code source} at
     * {@code weights}, a new step each time (a different share of the rows), and returns the
     * medians of their parts.
     */
    static Parts measure(SparkContext sc, SparkGradientSource source, ComputeTimer timer, double[] weights,
                         int stepsPerEpoch, int warmUp, int steps, int executors, int partitions) {
        TaskLog log = new TaskLog();
        sc.addSparkListener(log);
        try {
            for (int s = 0; s < warmUp; s++) {
                source.gradient(weights, new Step(7, 1, s % stepsPerEpoch, stepsPerEpoch));
            }
            Adam adam = new Adam();
            adam.initialise(weights.length);
            double[] w = weights.clone();
            List<double[]> rows = new ArrayList<>();
            for (int s = 0; s < steps; s++) {
                String tag = Integer.toString(s);
                sc.setLocalProperty(TaskLog.STEP, tag);
                timer.reset();
                long submitMs = System.currentTimeMillis();
                long t0 = System.nanoTime();
                GradientSum sum = source.gradient(w, new Step(7, 2, s % stepsPerEpoch, stepsPerEpoch));
                long t1 = System.nanoTime();
                rows.add(new double[] {submitMs, (t1 - t0) / 1e6, updateMillis(adam, w, sum),
                        timer.slowestNanos() / 1e6, System.currentTimeMillis()});
            }
            sc.setLocalProperty(TaskLog.STEP, null);
            log.awaitSteps(steps, 10_000);
            return summarise(log, rows, executors, partitions, 8L * weights.length);
        } finally {
            sc.removeSparkListener(log);
        }
    }

    /**
     * Milliseconds of Adam's update with {@code sum}'s mean gradient, on a copy of {@code weights}
     * so that they, and so the steps, stay the same whatever the rows did: a step's cost must not
     * depend on how training went. An empty step's sums (no rows) are taken as they are.
     */
    static double updateMillis(Adam adam, double[] weights, GradientSum sum) {
        double[] gradient = sum.count() > 0 ? sum.meanGradientInPlace() : sum.sums();
        double[] scratch = weights.clone();
        long u0 = System.nanoTime();
        adam.stepInPlace(scratch, gradient, 1e-9);
        return (System.nanoTime() - u0) / 1e6;
    }

    private static Parts summarise(TaskLog log, List<double[]> rows, int executors, int partitions,
                                   long weightBytes) {
        List<Double> wall = new ArrayList<>();
        List<Double> schedule = new ArrayList<>();
        List<Double> taskIn = new ArrayList<>();
        List<Double> compute = new ArrayList<>();
        List<Double> other = new ArrayList<>();
        List<Double> back = new ArrayList<>();
        List<Double> merge = new ArrayList<>();
        List<Double> update = new ArrayList<>();
        List<Double> resultBytes = new ArrayList<>();
        for (int s = 0; s < rows.size(); s++) {
            double[] r = rows.get(s);
            List<SparkListenerTaskEnd> tasks = log.tasksOf(Integer.toString(s));
            if (tasks.isEmpty()) {
                continue;
            }
            SparkListenerTaskEnd last = tasks.get(0);
            long bytes = 0;
            for (SparkListenerTaskEnd t : tasks) {
                if (t.taskInfo().finishTime() > last.taskInfo().finishTime()) {
                    last = t;
                }
                bytes += t.taskMetrics().resultSize();
            }
            TaskInfo info = last.taskInfo();
            TaskMetrics m = last.taskMetrics();
            double wallMs = r[1];
            double computeMs = Math.min(r[3], m.executorRunTime());
            double onExecutor = m.executorDeserializeTime() + m.executorRunTime() + m.resultSerializationTime();
            wall.add(wallMs);
            schedule.add(Math.max(0, info.launchTime() - r[0]));
            taskIn.add((double) m.executorDeserializeTime());
            compute.add(r[3]);
            other.add(Math.max(0, m.executorRunTime() - computeMs) + m.resultSerializationTime());
            back.add(Math.max(0, info.finishTime() - info.launchTime() - onExecutor));
            merge.add(Math.max(0, r[0] + wallMs - info.finishTime()));
            update.add(r[2]);
            resultBytes.add((double) bytes);
        }
        if (wall.isEmpty()) {
            throw new IllegalStateException("no task records reached the benchmark's listener");
        }
        return new Parts(executors, partitions, wall.size(), Benchmark.median(wall), Benchmark.median(schedule),
                Benchmark.median(taskIn), Benchmark.median(compute), Benchmark.median(other),
                Benchmark.median(back), Benchmark.median(merge), Benchmark.median(update), weightBytes,
                (long) Benchmark.median(resultBytes));
    }

    /** Every successful task's record, by the step tag its job was submitted under. */
    private static final class TaskLog extends SparkListener {
        static final String STEP = "sparkprop.benchmark.step";
        private final Map<Integer, String> stepOfStage = new ConcurrentHashMap<>();
        private final Map<String, List<SparkListenerTaskEnd>> tasks = new ConcurrentHashMap<>();

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted stage) {
            String step = stage.properties() == null ? null : stage.properties().getProperty(STEP);
            if (step != null) {
                stepOfStage.put(stage.stageInfo().stageId(), step);
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            String step = stepOfStage.get(end.stageId());
            if (step != null && end.taskInfo().successful() && end.taskMetrics() != null) {
                tasks.computeIfAbsent(step, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(end);
            }
        }

        List<SparkListenerTaskEnd> tasksOf(String step) {
            return new ArrayList<>(tasks.getOrDefault(step, List.of()));
        }

        /** The listener bus delivers on its own thread, after the jobs have returned. */
        void awaitSteps(int steps, long timeoutMs) {
            long until = System.currentTimeMillis() + timeoutMs;
            while (System.currentTimeMillis() < until && !tasks.containsKey(Integer.toString(steps - 1))) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            try {
                Thread.sleep(200); // the last step's other tasks
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
