package io.sparkprop.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What one pass over a CSV's training lines learns about each column: how many cells are
 * filled, and filled with something that is not a number. From that, which columns are text: a
 * column where at least half the filled cells are not numbers is a category column; one where
 * only a few are stays numeric, so that a typo in a numeric column is reported by line and column
 * rather than silently turning the whole column into categories.
 */
public final class ColumnTally implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[] filled;
    private final long[] notNumbers;

    public ColumnTally(int columns) {
        filled = new long[columns];
        notNumbers = new long[columns];
    }

    /** Counts one CSV line's cells; lines of another width are left to the parser to report. */
    public ColumnTally addLine(String line) {
        String[] cells = CsvTable.cells(line);
        if (cells.length != filled.length) {
            return this;
        }
        for (int i = 0; i < cells.length; i++) {
            if (!cells[i].isEmpty()) {
                filled[i]++;
                if (!CsvTable.isNumber(cells[i])) {
                    notNumbers[i]++;
                }
            }
        }
        return this;
    }

    public ColumnTally merge(ColumnTally other) {
        for (int i = 0; i < filled.length; i++) {
            filled[i] += other.filled[i];
            notNumbers[i] += other.notNumbers[i];
        }
        return this;
    }

    /** Whether column i is text: at least half of its filled cells are not numbers. */
    public boolean isText(int i) {
        return notNumbers[i] > 0 && 2 * notNumbers[i] >= filled[i];
    }

    /** The names of the text columns, in the header's order. */
    public List<String> textColumns(String[] names) {
        List<String> text = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (isText(i)) {
                text.add(names[i]);
            }
        }
        return text;
    }
}
