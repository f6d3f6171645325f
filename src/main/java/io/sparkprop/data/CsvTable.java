package io.sparkprop.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small numeric CSV (header row, one label column, the rest features) read into memory,
 * for the bundled datasets and the local trainer; Spark reads large files itself. Every
 * error names the source, the line and the column.
 */
public record CsvTable(String source, String[] featureNames, String labelName, double[][] features,
                       double[] labels) {

    public int rowCount() {
        return labels.length;
    }

    public int featureCount() {
        return featureNames.length;
    }

    /** One of the datasets bundled in the jar: digits, breast_cancer or diabetes, label in the last column. */
    public static CsvTable bundled(String name) {
        String resource = "/datasets/" + name + ".csv";
        InputStream in = CsvTable.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalArgumentException("no bundled dataset '" + name
                    + "'; bundled: digits, breast_cancer, diabetes");
        }
        return read(in, resource, null);
    }

    /** Reads a CSV; {@code labelColumn} null means the last column. */
    public static CsvTable read(InputStream in, String source, String labelColumn) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header = r.readLine();
            if (header == null || header.isBlank()) {
                throw new IllegalArgumentException(source + ": empty file, expected a header row");
            }
            String[] names = header(header, source);
            int labelAt = labelColumn == null ? names.length - 1 : Arrays.asList(names).indexOf(labelColumn);
            if (labelAt < 0) {
                throw new IllegalArgumentException(source + ": no label column '" + labelColumn + "' in header "
                        + String.join(",", names));
            }
            String[] featureNames = new String[names.length - 1];
            for (int i = 0, k = 0; i < names.length; i++) {
                if (i != labelAt) {
                    featureNames[k++] = names[i];
                }
            }
            List<double[]> rows = new ArrayList<>();
            List<Double> labels = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                double[] cells = parseLine(line, lineNo, names, source);
                double[] row = new double[names.length - 1];
                for (int i = 0, k = 0; i < cells.length; i++) {
                    double v = cells[i];
                    if (i == labelAt) {
                        labels.add(v);
                    } else {
                        row[k++] = v;
                    }
                }
                rows.add(row);
            }
            if (rows.isEmpty()) {
                throw new IllegalArgumentException(source + ": no data rows after the header");
            }
            return new CsvTable(source, featureNames, names[labelAt], rows.toArray(new double[0][]),
                    labels.stream().mapToDouble(Double::doubleValue).toArray());
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
    }

    /** The column names of a header row, trimmed; an empty name is an error that quotes the header. */
    public static String[] header(String line, String source) {
        String[] names = line.split(",", -1);
        for (int i = 0; i < names.length; i++) {
            names[i] = names[i].trim();
            if (names[i].isEmpty()) {
                throw new InputException(source + ": the header has an empty column name: " + line);
            }
        }
        return names;
    }

    /**
     * The cells of one data line as numbers, one per header column: the one CSV cell parser (this
     * reader and Spark's). Errors name the source, line and column: a wrong cell count, a cell that
     * is not a number, or one that is not finite.
     */
    public static double[] parseLine(String line, long lineNo, String[] names, String source) {
        String[] cells = splitLine(line, lineNo, names, source);
        double[] values = new double[cells.length];
        for (int i = 0; i < cells.length; i++) {
            values[i] = number(cells[i], lineNo, names[i], source);
        }
        return values;
    }

    /**
     * The cells of one data line typed as the table says: a String where {@code text[i]}, else a
     * Double; an empty cell is null when {@code emptyAllowed}, else an error naming line and column.
     */
    public static Object[] parseCells(String line, long lineNo, String[] names, boolean[] text, boolean emptyAllowed,
                                      String source) {
        String[] cells = splitLine(line, lineNo, names, source);
        Object[] values = new Object[cells.length];
        for (int i = 0; i < cells.length; i++) {
            if (cells[i].isEmpty() && emptyAllowed) {
                values[i] = null;
            } else if (text[i]) {
                if (cells[i].isEmpty()) {
                    throw emptyCell(lineNo, names[i], source);
                }
                values[i] = cells[i];
            } else {
                values[i] = number(cells[i], lineNo, names[i], source);
            }
        }
        return values;
    }

    /** A line's cells, trimmed, one per header column; a wrong count is an error naming the line. */
    public static String[] splitLine(String line, long lineNo, String[] names, String source) {
        String[] cells = cells(line);
        if (cells.length != names.length) {
            throw new InputException(source + ": line " + lineNo + " has " + cells.length + " cells, the header has "
                    + names.length);
        }
        return cells;
    }

    /** A line's cells, trimmed, however many there are. */
    public static String[] cells(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].trim();
        }
        return cells;
    }

    private static InputException emptyCell(long lineNo, String column, String source) {
        return new InputException(source + ": line " + lineNo + ", column '" + column
                + "': empty cell (data.missing=drop or mean accepts empty cells)");
    }

    private static double number(String cell, long lineNo, String column, String source) {
        if (cell.isEmpty()) {
            throw emptyCell(lineNo, column, source);
        }
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new InputException(source + ": line " + lineNo + ", column '" + column + "': '" + cell
                    + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new InputException(source + ": line " + lineNo + ", column '" + column + "': " + cell
                    + " is not a finite number");
        }
        return v;
    }

    /** Whether a trimmed cell reads as a number (finite or not): what decides a column's kind. */
    public static boolean isNumber(String cell) {
        try {
            Double.parseDouble(cell);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Stacks every row into blocks, naming the source and line of the first bad row. */
    public List<io.sparkprop.nn.Block> toBlocks(TargetEncoder targets, Standardizer standardizer,
                                                          int blockRows) {
        BlockStacker stacker = new BlockStacker(featureCount(), targets, standardizer, blockRows);
        try {
            for (int i = 0; i < labels.length; i++) {
                stacker.add(features[i], labels[i]);
            }
        } catch (BadRowException e) {
            // +2: lines count from 1 and the header is line 1
            throw new IllegalArgumentException(source + ": line " + (e.rowIndex() + 2) + ": " + e.reason(), e);
        }
        return stacker.finish();
    }
}
