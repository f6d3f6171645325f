package io.sparkprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.nn.Block;
import io.sparkprop.nn.Loss;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.ml.linalg.Vectors;
import org.junit.jupiter.api.Test;

class BlockStackerTest {

    @Test
    void stacksRowsAsColumnsWithOneHotTargets() {
        BlockStacker s = new BlockStacker(2, TargetEncoder.classes(3, Loss.CROSS_ENTROPY), null, 2);
        s.add(new double[] {1, 2}, 2);
        s.add(Vectors.sparse(2, new int[] {1}, new double[] {5}), 0);
        s.add(Vectors.dense(7, 8), 1);
        List<Block> blocks = s.finish();
        assertEquals(2, blocks.size());
        assertArrayEquals(new double[] {1, 2, 0, 5}, blocks.get(0).features());
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0}, blocks.get(0).targets());
        assertEquals(1, blocks.get(1).size());
        assertArrayEquals(new double[] {0, 1, 0}, blocks.get(1).targets());
    }

    @Test
    void rejectsALabelOutOfRangeNamingTheRow() {
        BlockStacker s = new BlockStacker(2, TargetEncoder.classes(3, Loss.CROSS_ENTROPY), null, 4);
        s.add(new double[] {1, 2}, 2);
        BadRowException e = assertThrows(BadRowException.class, () -> s.add(new double[] {1, 2}, 3));
        assertEquals(1, e.rowIndex());
        assertTrue(e.getMessage().contains("row 2") && e.getMessage().contains("label 3.0"), e.getMessage());
        assertThrows(BadRowException.class, () -> s.add(new double[] {1, 2}, 1.5));
        assertThrows(BadRowException.class, () -> s.add(new double[] {1, 2}, -1));
    }

    @Test
    void rejectsANaNFeatureAndAWrongWidth() {
        BlockStacker s = new BlockStacker(2, TargetEncoder.classes(2, Loss.CROSS_ENTROPY), null, 4);
        BadRowException nan = assertThrows(BadRowException.class, () -> s.add(new double[] {1, Double.NaN}, 0));
        assertTrue(nan.getMessage().contains("feature 1 is NaN"), nan.getMessage());
        BadRowException wide = assertThrows(BadRowException.class, () -> s.add(new double[] {1, 2, 3}, 0));
        assertTrue(wide.getMessage().contains("has 3 features, expected 2"), wide.getMessage());
    }

    @Test
    void csvErrorsNameTheSourceLineAndColumn() {
        String csv = "a,b,label\n1,2,0\n3,x,1\n";
        var e = assertThrows(IllegalArgumentException.class, () -> CsvTable.read(
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "t.csv", "label"));
        assertTrue(e.getMessage().contains("t.csv: line 3, column 'b': 'x' is not a number"), e.getMessage());

        CsvTable ok = CsvTable.read(new ByteArrayInputStream("a,label,b\n1,1,2\n3,0,4\n"
                .getBytes(StandardCharsets.UTF_8)), "u.csv", "label");
        assertArrayEquals(new double[] {1, 2}, ok.features()[0]);
        assertArrayEquals(new double[] {1, 0}, ok.labels());

        CsvTable badLabel = CsvTable.read(new ByteArrayInputStream("a,label\n1,1\n1,5\n"
                .getBytes(StandardCharsets.UTF_8)), "v.csv", "label");
        var bad = assertThrows(IllegalArgumentException.class,
                () -> badLabel.toBlocks(TargetEncoder.classes(2, Loss.CROSS_ENTROPY), null, 8));
        assertTrue(bad.getMessage().startsWith("v.csv: line 3: label 5.0"), bad.getMessage());
    }

    @Test
    void standardizerCentresAndScalesAndLeavesConstantColumnsFinite() {
        Standardizer st = Standardizer.fit(new double[][] {{1, 5}, {3, 5}});
        double[] out = new double[2];
        st.apply(new double[] {3, 5}, out, 0);
        assertEquals(1 / Math.sqrt(2), out[0], 1e-15);
        assertEquals(0.0, out[1]);
    }
}
