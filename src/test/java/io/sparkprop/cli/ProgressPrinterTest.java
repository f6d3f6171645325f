package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.ml.Task;
import io.sparkprop.train.EpochStats;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {

    @Test
    void saysHowMuchOfTheElapsedTimeWentToValidation() throws Exception {
        StringWriter text = new StringWriter();
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text), Task.CLASSIFICATION);
        printer.onStart(100, 2, 3);
        printer.onValidationStart(1, 3);
        Thread.sleep(120);
        printer.onEpoch(new EpochStats(1, 2, 100, 0.5, 0.8, 0.6, 0.75, 0.2), new double[0]);

        String line = text.toString().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(line.contains("val acc 0.7500"), line);
        assertTrue(line.matches(".*elapsed \\d+\\.\\ds \\(validation (0\\.[1-9]|[1-9]\\d*\\.\\d)s\\).*"), line);
    }

    @Test
    void withoutValidationThereIsNothingToSubtract() {
        StringWriter text = new StringWriter();
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text), Task.REGRESSION);
        printer.onStart(100, 1, 1);
        printer.onEpoch(new EpochStats(1, 1, 100, 0.5, Double.NaN, Double.NaN, Double.NaN, 0.1), new double[0]);

        assertFalse(text.toString().contains("validation"), text.toString());
    }
}
