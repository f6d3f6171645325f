package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mixed table end to end through the command line, with only documented keys: text columns,
 * empty cells and a text label, made in the test. A diamonds-like price regression (cut, color:
 * text; depth and color with empty cells) and a three-species classification with a text feature.
 */
class TableCommandsTest {
    @TempDir
    static Path dir;
    static String gems;
    static String newGems;
    static String gemsModel;
    static CliRunner.Result gemsTrained;
    static final String[] CUTS = {"Fair", "Good", "Very Good", "Premium", "Ideal"};
    static final double[] CUT_FACTOR = {0.7, 0.85, 1.0, 1.1, 1.25};
    static final String[] COLORS = {"D", "E", "F", "G", "H", "I", "J"};

    /** price = 4000 carat^1.6 x cut factor x color factor x noise; every 40th depth and 50th color empty. */
    static List<String> gemRows(int n, long seed, boolean unseenCut) {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>(List.of("carat,cut,color,depth,price"));
        for (int i = 0; i < n; i++) {
            double carat = 0.3 + 1.7 * r.nextDouble();
            int cut = r.nextInt(CUTS.length);
            int color = r.nextInt(COLORS.length);
            double depth = 61.5 + r.nextGaussian();
            double price = 4000 * Math.pow(carat, 1.6) * CUT_FACTOR[cut] * (1.3 - 0.08 * color)
                    * Math.exp(0.03 * r.nextGaussian());
            String cutName = unseenCut && i % 10 == 0 ? "Astor" : CUTS[cut];
            lines.add(String.format(Locale.ROOT, "%.2f,%s,%s,%s,%.0f", carat, cutName,
                    i % 50 == 7 ? "" : COLORS[color], i % 40 == 3 ? "" : String.format(Locale.ROOT, "%.1f", depth),
                    price));
        }
        return lines;
    }

    static String write(String name, List<String> lines) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, lines);
        return p.toString();
    }

    static String[] train(String model, String... sets) {
        List<String> args = new ArrayList<>(List.of("train", "--conf", "conf/default.properties", "--model", model,
                "--set", "output.report=" + model + "-report"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        return args.toArray(String[]::new);
    }

    @BeforeAll
    static void trainOnGems() throws Exception {
        gems = write("gems.csv", gemRows(1500, 1, false));
        List<String> unseen = new ArrayList<>(gemRows(200, 2, true));
        unseen.add("1.10,Ideal,,61.0,"); // no colour, no price: predicted all the same
        newGems = write("new-gems.csv", unseen);
        gemsModel = dir.resolve("gems-model").toString();
        // README's worked example's conf, on this smaller table
        gemsTrained = CliRunner.run("train", "--conf", "conf/diamonds.properties", "--model", gemsModel,
                "--set", "data.train=" + gems, "--set", "batchSize=64", "--set", "output.report=" + gemsModel + "-report");
    }

    static double r2(String out) {
        return Double.parseDouble(out.replaceAll("(?s).*R\\^2 (-?[0-9.]+).*", "$1"));
    }

    @Test
    void aTableWithTextColumnsAndEmptyCellsTrainsAndScores() throws Exception {
        assertEquals(0, gemsTrained.code(), gemsTrained.err());
        String out = gemsTrained.out();
        // color: 7 colours plus the "(missing)" category of its empty cells
        assertTrue(out.contains("categories: cut (5 values), color (8 values)"), out);
        assertTrue(out.contains("data.missing=mean: 0 rows without a label left out"), out);
        assertTrue(r2(out) > 0.95, "held-out R^2 " + r2(out) + " in\n" + out);
        assertTrue(Files.isRegularFile(Path.of(gemsModel, "table", "encoding.json")));

        CliRunner.Result e = CliRunner.run("evaluate", "--model", gemsModel, "--data", gems);
        assertEquals(0, e.code(), e.err());
        assertTrue(r2(e.out()) > 0.95, e.out());
    }

    @Test
    void predictTakesUnseenCategoriesAndEmptyCells() throws Exception {
        Path out = dir.resolve("gems-predicted.csv");
        CliRunner.Result p = CliRunner.run("predict", "--model", gemsModel, "--data", newGems, "--output",
                out.toString());
        assertEquals(0, p.code(), p.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("carat,cut,color,depth,price,prediction", lines.get(0));
        assertEquals(202, lines.size());
        assertTrue(lines.get(201).startsWith("1.1,Ideal,,61.0,,"), "cells written as read: " + lines.get(201));
        assertTrue(lines.stream().anyMatch(l -> l.contains(",Astor,")), "the unseen cut is predicted");
        for (String l : lines.subList(1, lines.size())) {
            double prediction = Double.parseDouble(l.substring(l.lastIndexOf(',') + 1));
            assertTrue(Double.isFinite(prediction) && prediction > 0, l);
        }
    }

    @Test
    void onnxExportRefusesAnEncodedTable() {
        Path onnx = dir.resolve("gems.onnx");
        CliRunner.Result x = CliRunner.run("export", "--model", gemsModel, "--output", onnx.toString());
        assertEquals(1, x.code());
        assertTrue(x.err().contains("was trained on a table with text columns"), x.err());
        assertFalse(Files.exists(onnx));
    }

    @Test
    void dropLeavesOutAndCountsRowsWithAnEmptyCell() {
        String model = dir.resolve("drop-model").toString();
        CliRunner.Result t = CliRunner.run(train(model, "task=regression", "data.train=" + gems, "data.label=price",
                "data.missing=drop", "loss=quadratic", "hiddenLayers=8", "maxEpochs=2", "validationFraction=0"));
        assertEquals(0, t.code(), t.err());
        // rows i % 40 == 3 (38 of them) and i % 50 == 7 (30), none both
        assertTrue(t.out().contains("data.missing=drop: 68 rows with an empty cell left out"), t.out());
        assertTrue(t.out().contains("categories: cut (5 values), color (7 values)"), t.out());
    }

    @Test
    void textLabelsAreClassNamesAndNumericCodesCanBeCategories() throws Exception {
        Random r = new Random(5);
        String[] species = {"setosa", "versicolor", "virginica"};
        String[] soils = {"clay", "sand", "loam"};
        List<String> lines = new ArrayList<>(List.of("petal,zone,soil,species"));
        for (int i = 0; i < 600; i++) {
            int k = r.nextInt(3);
            lines.add(String.format(Locale.ROOT, "%.2f,%d,%s,%s", 1 + 2 * k + 0.6 * r.nextGaussian(), 1 + (k + i) % 4,
                    soils[(k + r.nextInt(2)) % 3], species[k]));
        }
        String flowers = write("flowers.csv", lines);
        String model = dir.resolve("flowers-model").toString();
        CliRunner.Result t = CliRunner.run(train(model, "data.train=" + flowers, "data.label=species",
                "data.categorical=zone", "maxEpochs=10"));
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("| 3 classes |"), t.out());
        assertTrue(t.out().contains("categories: zone (4 values), soil (3 values) | classes: setosa, versicolor,"
                + " virginica"), t.out());
        assertTrue(t.out().contains("    setosa "), "per-class rows by name:\n" + t.out());

        Path out = dir.resolve("flowers-predicted.csv");
        CliRunner.Result p = CliRunner.run("predict", "--model", model, "--data", flowers, "--output", out.toString());
        assertEquals(0, p.code(), p.err());
        List<String> predicted = Files.readAllLines(out);
        assertEquals("petal,zone,soil,species,prediction,predictedLabel,probability_setosa,probability_versicolor,"
                + "probability_virginica", predicted.get(0));
        long right = predicted.stream().skip(1).map(l -> l.split(",")).filter(c -> c[3].equals(c[5])).count();
        assertTrue(right > 540, right + " of 600 predicted names match the label");

        String unknown = write("unknown-species.csv", List.of("petal,zone,soil,species", "1.0,1,clay,setosa",
                "5.0,2,sand,daisy"));
        CliRunner.Result e = CliRunner.run("evaluate", "--model", model, "--data", unknown);
        assertEquals(1, e.code());
        assertTrue(e.err().contains("unknown-species.csv: line 3, label 'daisy' in column 'species' is not a class"
                + " the model knows (setosa, versicolor, virginica)"), e.err());
    }
}
