package io.sparkprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one CSV parser (the in-memory reader's and Spark's): numbers per header column, errors that name the cell. */
class CsvTableTest {
    static final String[] NAMES = {"a", "b", "label"};

    static String error(Runnable r) {
        return assertThrows(InputException.class, r::run).getMessage();
    }

    @Test
    void aLineBecomesOneNumberPerColumn() {
        assertArrayEquals(new double[] {1.5, -2, 0}, CsvTable.parseLine(" 1.5, -2 ,0", 7, NAMES, "f.csv"));
        assertArrayEquals(new String[] {"a", "b", "label"}, CsvTable.header("a, b ,label", "f.csv"));
    }

    @Test
    void badCellsAreNamedByLineAndColumn() {
        assertEquals("f.csv: line 7, column 'b': 'abc' is not a number",
                error(() -> CsvTable.parseLine("1, abc ,0", 7, NAMES, "f.csv")));
        assertEquals("f.csv: line 8, column 'a': NaN is not a finite number",
                error(() -> CsvTable.parseLine("NaN,1,0", 8, NAMES, "f.csv")));
        assertEquals("f.csv: line 9 has 2 cells, the header has 3",
                error(() -> CsvTable.parseLine("1,0", 9, NAMES, "f.csv")));
        assertEquals("f.csv: the header has an empty column name: a,,label",
                error(() -> CsvTable.header("a,,label", "f.csv")));
    }

    @Test
    void theReaderCountsLinesFromTheHeader() {
        String text = "a,b,label\n1,2,0\n\n3,x,1\n";
        String message = error(() -> CsvTable.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                "t.csv", "label"));
        assertEquals("t.csv: line 4, column 'b': 'x' is not a number", message);
        CsvTable ok = CsvTable.read(new ByteArrayInputStream("a,label,b\n1,1,2\n".getBytes(StandardCharsets.UTF_8)),
                "u.csv", "label");
        assertArrayEquals(new double[] {1, 2}, ok.features()[0]);
        assertArrayEquals(new double[] {1}, ok.labels());
    }
}
