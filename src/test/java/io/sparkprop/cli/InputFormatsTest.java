package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkprop.spark.InputFormats;
import io.sparkprop.spark.SparkTestSupport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every format reads the same five rows as the CSV of the same data. */
class InputFormatsTest {
    static SparkSession spark;
    static List<double[]> expected;

    @BeforeAll
    static void readTheCsv() {
        spark = SparkTestSupport.session();
        expected = rows("csv", CliRunner.resource("/fixtures/small.csv"));
        assertEquals(5, expected.size());
        assertArrayEquals(new double[] {0, 12, 255, 7, 2}, expected.get(0));
    }

    /** Each row as its features followed by its label, in file order. */
    static List<double[]> rows(String format, String path) {
        List<double[]> out = new ArrayList<>();
        for (Row r : InputFormats.read(spark, path, format, "label", "features", -1).frame()
                .select("features", "label").collectAsList()) {
            double[] f = ((Vector) r.get(0)).toArray();
            double[] row = java.util.Arrays.copyOf(f, f.length + 1);
            row[f.length] = ((Number) r.get(1)).doubleValue();
            out.add(row);
        }
        return out;
    }

    static void assertSameRows(List<double[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "row " + i);
        }
    }

    @Test
    void libsvm() {
        assertSameRows(rows("libsvm", CliRunner.resource("/fixtures/small.libsvm")));
    }

    @Test
    void parquetWithNumericColumns(@TempDir Path dir) {
        String path = dir.resolve("numeric.parquet").toString();
        InputFormats.read(spark, CliRunner.resource("/fixtures/small.csv"), "csv", "label", "features", -1).frame()
                .select("p0", "p1", "p2", "p3", "label").coalesce(1).write().parquet(path);
        assertSameRows(rows("parquet", path));
        assertSameRows(rows(null, path)); // the format is guessed from .parquet
    }

    @Test
    void parquetWithAVectorColumn(@TempDir Path dir) {
        String path = dir.resolve("vector.parquet").toString();
        InputFormats.read(spark, CliRunner.resource("/fixtures/small.csv"), "csv", "label", "features", -1).frame()
                .select("features", "label").coalesce(1).write().parquet(path);
        assertSameRows(rows("parquet", path));
    }

    @Test
    void idxPlainAndGzip(@TempDir Path dir) throws Exception {
        int[][] pixels = new int[expected.size()][4];
        int[] labels = new int[expected.size()];
        for (int i = 0; i < expected.size(); i++) {
            for (int j = 0; j < 4; j++) {
                pixels[i][j] = (int) expected.get(i)[j];
            }
            labels[i] = (int) expected.get(i)[4];
        }
        IdxFixtures.write(dir.resolve("small-images-idx3-ubyte.gz"), IdxFixtures.images(pixels, 2, 2), true);
        IdxFixtures.write(dir.resolve("small-labels-idx1-ubyte.gz"), IdxFixtures.labels(labels), true);
        assertSameRows(rows("idx", dir.resolve("small-images-idx3-ubyte.gz").toString()));

        IdxFixtures.write(dir.resolve("a.idx"), IdxFixtures.images(pixels, 2, 2), false);
        IdxFixtures.write(dir.resolve("b.idx"), IdxFixtures.labels(labels), false);
        assertSameRows(rows("idx", dir.resolve("a.idx") + "," + dir.resolve("b.idx")));
    }
}
