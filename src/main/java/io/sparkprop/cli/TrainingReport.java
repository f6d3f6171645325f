package io.sparkprop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.data.InputException;
import io.sparkprop.data.LocalFolders;
import io.sparkprop.ml.Task;
import io.sparkprop.train.EpochStats;
import java.awt.Color;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * What a training run leaves for people to read: {@code metrics.jsonl} (one JSON object per
 * epoch), PNG charts of loss and metric per epoch (training vs validation) and, for a
 * classifier, the test confusion matrix, and an {@code index.html} that shows them with the
 * final test metrics. Written to a temporary folder and renamed into place.
 */
final class TrainingReport {
    private final String title;
    private final List<EpochStats> epochs;
    private final Task task;
    private final Map<String, Object> testMetrics;
    private final long[][] confusion;
    private final List<String> classNames;

    /** {@code classNames} label the confusion matrix's axes; empty to show class indices. */
    TrainingReport(String title, List<EpochStats> epochs, Task task, Map<String, Object> testMetrics,
                   long[][] confusion, List<String> classNames) {
        this.title = title;
        this.epochs = epochs;
        this.task = task;
        this.testMetrics = testMetrics;
        this.confusion = confusion;
        this.classNames = classNames;
    }

    void write(Path dir) {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp-" + System.nanoTime());
        try {
            Files.createDirectories(tmp);
            writeMetrics(tmp.resolve("metrics.jsonl"));
            List<String> charts = new ArrayList<>();
            charts.add(lossChart(tmp));
            if (task.hasTrainingMetric() || epochs.stream().anyMatch(EpochStats::hasValidation)) {
                charts.add(metricChart(tmp));
            }
            if (confusion != null) {
                charts.add(confusionChart(tmp));
            }
            writeIndex(tmp.resolve("index.html"), charts);
            LocalFolders.replace(tmp, dir);
        } catch (IOException e) {
            throw new InputException("report folder " + dir + ": cannot be written (" + e.getMessage() + ")", e);
        } finally {
            if (Files.exists(tmp)) {
                try {
                    LocalFolders.deleteTree(tmp);
                } catch (IOException ignored) {
                    // best effort: the error that got us here matters more
                }
            }
        }
    }

    static Map<String, Object> epochJson(EpochStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", s.epoch());
        m.put("steps", s.steps());
        m.put("samples", s.samples());
        m.put("loss", finiteOrNull(s.trainLoss()));
        m.put("trainAccuracy", finiteOrNull(s.trainAccuracy()));
        m.put("validationLoss", finiteOrNull(s.validationLoss()));
        m.put("validationMetric", finiteOrNull(s.validationMetric()));
        m.put("seconds", s.seconds());
        return m;
    }

    private static Object finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private void writeMetrics(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (EpochStats s : epochs) {
                w.write(json.writeValueAsString(epochJson(s)));
                w.write('\n');
            }
        }
    }

    private double[] epochAxis() {
        return epochs.stream().mapToDouble(EpochStats::epoch).toArray();
    }

    private String lossChart(Path dir) throws IOException {
        XYChart chart = new XYChartBuilder().width(720).height(420).title("Loss per epoch").xAxisTitle("epoch")
                .yAxisTitle("loss").build();
        chart.addSeries("training", epochAxis(), epochs.stream().mapToDouble(EpochStats::trainLoss).toArray());
        if (epochs.stream().anyMatch(EpochStats::hasValidation)) {
            chart.addSeries("validation", epochAxis(),
                    epochs.stream().mapToDouble(EpochStats::validationLoss).toArray());
        }
        BitmapEncoder.saveBitmap(chart, dir.resolve("loss").toString(), BitmapEncoder.BitmapFormat.PNG);
        return "loss.png";
    }

    private String metricChart(Path dir) throws IOException {
        String metric = task.metricName();
        XYChart chart = new XYChartBuilder().width(720).height(420).title(metric + " per epoch").xAxisTitle("epoch")
                .yAxisTitle(metric).build();
        if (task.hasTrainingMetric()) {
            chart.addSeries("training", epochAxis(), epochs.stream().mapToDouble(EpochStats::trainAccuracy).toArray());
        }
        if (epochs.stream().anyMatch(EpochStats::hasValidation)) {
            chart.addSeries("validation", epochAxis(),
                    epochs.stream().mapToDouble(EpochStats::validationMetric).toArray());
        }
        BitmapEncoder.saveBitmap(chart, dir.resolve("metric").toString(), BitmapEncoder.BitmapFormat.PNG);
        return "metric.png";
    }

    private String confusionChart(Path dir) throws IOException {
        int k = confusion.length;
        HeatMapChart chart = new HeatMapChartBuilder().width(560 + 20 * k).height(520 + 20 * k)
                .title("Test confusion matrix (x: predicted, y: true)").build();
        chart.getStyler().setShowValue(true).setRangeColors(new Color[] {Color.WHITE, new Color(0x1f77b4)});
        List<Object> classes = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            classes.add(Evaluation.className(classNames, i));
        }
        List<Number[]> cells = new ArrayList<>();
        for (int actual = 0; actual < k; actual++) {
            for (int predicted = 0; predicted < k; predicted++) {
                cells.add(new Number[] {predicted, actual, confusion[actual][predicted]});
            }
        }
        chart.addSeries("confusion", classes, classes, cells);
        BitmapEncoder.saveBitmap(chart, dir.resolve("confusion").toString(), BitmapEncoder.BitmapFormat.PNG);
        return "confusion.png";
    }

    private void writeIndex(Path file, List<String> charts) throws IOException {
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 10px;"
                        + "text-align:right}img{display:block;margin:1em 0}</style></head><body>\n");
        html.append("<h1>").append(escape(title)).append("</h1>\n<h2>Test metrics</h2>\n<table>\n");
        for (Map.Entry<String, Object> e : testMetrics.entrySet()) {
            if (e.getValue() instanceof Number n) {
                html.append("<tr><th>").append(escape(e.getKey())).append("</th><td>")
                        .append(String.format(java.util.Locale.ROOT, "%.4f", n.doubleValue())).append("</td></tr>\n");
            }
        }
        EpochStats last = epochs.get(epochs.size() - 1);
        html.append("<tr><th>epochs</th><td>").append(epochs.size()).append("</td></tr>\n")
                .append("<tr><th>final training loss</th><td>")
                .append(String.format(java.util.Locale.ROOT, "%.4f", last.trainLoss())).append("</td></tr>\n")
                .append("</table>\n");
        for (String chart : charts) {
            html.append("<img src=\"").append(chart).append("\" alt=\"").append(chart).append("\">\n");
        }
        html.append("<p>Per-epoch figures: <a href=\"metrics.jsonl\">metrics.jsonl</a></p>\n</body></html>\n");
        Files.writeString(file, html, StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
