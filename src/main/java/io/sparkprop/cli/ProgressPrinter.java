package io.sparkprop.cli;

import io.sparkprop.ml.Task;
import io.sparkprop.train.EpochStats;
import io.sparkprop.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * One line per epoch: loss, training and validation metric, samples/s, elapsed time and ETA.
 * With validation rows, it also says how much of the elapsed time went to scoring them, so that
 * the training time alone can be read off (a learning curve over the test set pays for it).
 */
final class ProgressPrinter implements TrainingListener {
    private final PrintWriter out;
    private final Task task;
    private long start;
    private int maxEpochs;
    private long validationStart;
    private long validationNanos;

    ProgressPrinter(PrintWriter out, Task task) {
        this.out = out;
        this.task = task;
    }

    @Override
    public void onStart(long rows, int stepsPerEpoch, int maxEpochs) {
        this.start = System.nanoTime();
        this.maxEpochs = maxEpochs;
        out.printf(Locale.ROOT, "training on %,d rows: %d step%s an epoch, up to %d epochs%n", rows, stepsPerEpoch,
                stepsPerEpoch == 1 ? "" : "s", maxEpochs);
    }

    @Override
    public void onValidationStart(int epoch, int maxEpochs) {
        validationStart = System.nanoTime();
    }

    @Override
    public void onEpoch(EpochStats s, double[] weights) {
        long now = System.nanoTime();
        if (s.hasValidation()) {
            validationNanos += now - validationStart;
        }
        double elapsed = (now - start) / 1e9;
        double eta = elapsed / s.epoch() * (maxEpochs - s.epoch());
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %3d/%d  loss %.4f", s.epoch(),
                maxEpochs, s.trainLoss()));
        if (task.hasTrainingMetric()) {
            line.append(String.format(Locale.ROOT, "  train %s %.4f", task.metricAbbreviation(), s.trainAccuracy()));
        }
        if (s.hasValidation()) {
            line.append(String.format(Locale.ROOT, "  val loss %.4f  val %s %.4f", s.validationLoss(),
                    task.metricAbbreviation(), s.validationMetric()));
        }
        line.append(String.format(Locale.ROOT, "  %,.0f samples/s  elapsed %.1fs", s.samples() / s.seconds(),
                elapsed));
        if (validationNanos > 0) {
            line.append(String.format(Locale.ROOT, " (validation %.1fs)", validationNanos / 1e9));
        }
        line.append(String.format(Locale.ROOT, "  ETA %.1fs", eta));
        out.println(line);
        out.flush();
    }
}
