package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text columns and empty cells through Spark's own stages: the one-hot code of each known value,
 * the all-zero code of an unseen one, the training mean in an empty numeric cell, a "missing"
 * category of its own, class names in alphabetical order, and all of it the same after a save and
 * a load.
 */
class TableEncodingTest {
    @TempDir
    Path dir;

    private final SparkSession spark = SparkTestSupport.session();

    private String csv(String name, String... lines) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, List.of(lines));
        return p.toString();
    }

    private LabeledFrame read(String path, TablePlan plan) {
        return InputFormats.read(spark, path, "csv", "species", InputFormats.FEATURES, -1, List.of(), plan);
    }

    private static Map<Long, double[]> featuresByLine(List<Row> rows) {
        Map<Long, double[]> out = new java.util.TreeMap<>();
        for (Row r : rows) {
            out.put(r.getLong(r.fieldIndex(LabeledFrame.LINE)),
                    ((Vector) r.get(r.fieldIndex(InputFormats.FEATURES))).toArray());
        }
        return out;
    }

    @Test
    void detectsTextColumnsAndKeepsATypoInANumericColumnForTheParser() throws Exception {
        String path = csv("t.csv", "size,colour,zone,species",
                "1.5,red,1,setosa", "2.5,blue,2,virginica", "x,green,3,setosa", "4,red,1,setosa");
        TablePlan plan = TablePlan.detect(spark, path, null, List.of("zone"), MissingCells.ERROR);
        assertEquals(List.of("colour", "zone", "species"), plan.textColumns());
        InputException e = assertThrows(InputException.class,
                () -> TablePlan.detect(spark, path, null, List.of("weight"), MissingCells.ERROR));
        assertEquals("key data.categorical: no column 'weight' in " + path + " (columns: [size, colour, zone, species])",
                e.getMessage());
    }

    @Test
    void oneHotCodesUnseenValuesAndClassNames() throws Exception {
        String train = csv("train.csv", "size,colour,species",
                "1,red,setosa", "2,blue,virginica", "3,green,versicolor", "4,red,setosa");
        TablePlan plan = TablePlan.detect(spark, train, null, List.of(), MissingCells.ERROR);
        TableEncoding encoding = TableEncoding.fit(read(train, plan), plan, List.of());
        assertEquals(List.of("setosa", "versicolor", "virginica"), encoding.classNames());
        assertEquals(Map.of("colour", 3), encoding.categories());

        String other = csv("other.csv", "size,colour,species", "5,blue,virginica", "6,purple,setosa");
        List<Row> rows = encoding.encode(read(other, plan), true).collectAsList();
        Map<Long, double[]> x = featuresByLine(rows);
        // alphabetical: blue, green, red; purple was never seen, so its code is all zeros
        assertArrayEquals(new double[] {5, 1, 0, 0}, x.get(2L));
        assertArrayEquals(new double[] {6, 0, 0, 0}, x.get(3L));
        assertEquals(2.0, rows.get(0).getAs("species"), "virginica is class 2");

        encoding.save(dir.resolve("model").toString(), spark.sparkContext().hadoopConfiguration());
        TableEncoding loaded = TableEncoding.load(dir.resolve("model").toString(),
                spark.sparkContext().hadoopConfiguration());
        assertEquals(encoding.classNames(), loaded.classNames());
        assertEquals(encoding.plan(), loaded.plan());
        assertEquals(x.keySet(), featuresByLine(loaded.encode(read(other, plan), true).collectAsList()).keySet());
        featuresByLine(loaded.encode(read(other, plan), true).collectAsList())
                .forEach((line, v) -> assertArrayEquals(x.get(line), v));
    }

    @Test
    void meanFillsNumbersAndGivesTextItsOwnCategory() throws Exception {
        String train = csv("m.csv", "size,colour,species",
                "1,red,a", ",blue,b", "5,,a", "3,red,", "9,blue,b");
        TablePlan plan = TablePlan.detect(spark, train, null, List.of(), MissingCells.MEAN);
        TableEncoding encoding = TableEncoding.fit(read(train, plan), plan, List.of());
        Map<Long, double[]> x = featuresByLine(encoding.encode(read(train, plan), true).collectAsList());
        // line 5 has no label: left out; mean of 1, 5, 9 (the labelled rows' sizes) is 5
        assertEquals(List.of(2L, 3L, 4L, 6L), List.copyOf(x.keySet()));
        // categories (missing), blue, red
        assertArrayEquals(new double[] {5, 0, 1, 0}, x.get(3L));
        assertArrayEquals(new double[] {5, 1, 0, 0}, x.get(4L));
        assertTrue(encoding.transformsCells());
    }

    @Test
    void parquetStringColumnsAreCategoriesAndNullsAreEmptyCells() throws Exception {
        String path = dir.resolve("t.parquet").toString();
        spark.createDataFrame(List.of(
                        org.apache.spark.sql.RowFactory.create(1, "red", "a"),
                        org.apache.spark.sql.RowFactory.create(null, "blue", "b"),
                        org.apache.spark.sql.RowFactory.create(5, null, "a")),
                new org.apache.spark.sql.types.StructType().add("size", "int").add("colour", "string")
                        .add("species", "string"))
                .write().parquet(path);
        TablePlan error = TablePlan.detect(spark, path, null, List.of(), MissingCells.ERROR);
        assertEquals(List.of("colour", "species"), error.textColumns());
        LabeledFrame raw = InputFormats.read(spark, path, null, "species", InputFormats.FEATURES, -1, List.of(), error);
        InputException e = assertThrows(InputException.class, () -> TableEncoding.fit(raw, error, List.of()));
        assertEquals(path + ": column 'size' has an empty cell (data.missing=drop or mean accepts them)",
                e.getMessage());

        TablePlan mean = new TablePlan(error.textColumns(), MissingCells.MEAN);
        LabeledFrame rawMean = InputFormats.read(spark, path, null, "species", InputFormats.FEATURES, -1, List.of(),
                mean);
        TableEncoding encoding = TableEncoding.fit(rawMean, mean, List.of());
        List<double[]> x = encoding.encode(rawMean, true).orderBy("species", "size").collectAsList().stream()
                .map(r -> ((Vector) r.getAs(InputFormats.FEATURES)).toArray()).toList();
        // rows (1, red, a), (5, null, a), (3 = mean of 1 and 5, blue, b); categories (missing), blue, red
        assertArrayEquals(new double[] {1, 0, 0, 1}, x.get(0));
        assertArrayEquals(new double[] {5, 1, 0, 0}, x.get(1));
        assertArrayEquals(new double[] {3, 0, 1, 0}, x.get(2));
    }

    @Test
    void dropLeavesOutRowsWithAnEmptyCellAndErrorNamesTheCell() throws Exception {
        String train = csv("d.csv", "size,colour,species", "1,red,a", ",blue,b", "5,red,b", "3,blue,a");
        TablePlan drop = TablePlan.detect(spark, train, null, List.of(), MissingCells.DROP);
        TableEncoding encoding = TableEncoding.fit(read(train, drop), drop, List.of());
        assertEquals(List.of(2L, 4L, 5L), List.copyOf(featuresByLine(encoding.encode(read(train, drop), true)
                .collectAsList()).keySet()));
        TablePlan error = TablePlan.detect(spark, train, null, List.of(), MissingCells.ERROR);
        Exception e = assertThrows(Exception.class, () -> read(train, error).frame().collectAsList());
        assertTrue(String.valueOf(InputException.firstLine(e)).contains(
                "d.csv: line 3, column 'size': empty cell (data.missing=drop or mean accepts empty cells)"),
                InputException.firstLine(e));
    }
}
