package io.sparkprop.data;

import io.sparkprop.nn.Block;
import io.sparkprop.nn.FloatBackprop;
import io.sparkprop.nn.Precision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;

/**
 * Checks rows one at a time and stacks them as columns into {@link Block}s of
 * {@code blockRows} samples: features (optionally standardised) and encoded targets.
 * A row of the wrong width, a non-finite feature or a label the encoder rejects fails with a
 * {@link BadRowException} that counts the row from the first one added.
 *
 * <p>Each row's identity ({@link RowIdentity}) is stored beside it in the block: a hash of its
 * raw content (before standardisation, so it does not depend on statistics that differ in the
 * last bits between partitionings), or the key the caller gives (a hash of an id column).
 */
public final class BlockStacker {
    private final int inputWidth;
    private final TargetEncoder targets;
    private final Standardizer standardizer;
    private final int blockRows;
    private final Precision precision;
    private final boolean weighted;
    private final List<Block> blocks = new ArrayList<>();
    private final double[] row;
    private double[] x;
    private double[] y;
    private long[] keys;
    private double[] weights;
    private double nextWeight = 1.0;
    private int filled;
    private long rowsSeen;

    /** {@code standardizer} may be null (features used as they are). */
    public BlockStacker(int inputWidth, TargetEncoder targets, Standardizer standardizer, int blockRows) {
        this(inputWidth, targets, standardizer, blockRows, Precision.FLOAT64, false);
    }

    /**
     * With {@link Precision#FLOAT32}, each full block's features are stored as floats, rounded
     * after standardisation; row identities are hashed from the raw doubles either way.
     */
    public BlockStacker(int inputWidth, TargetEncoder targets, Standardizer standardizer, int blockRows,
                        Precision precision) {
        this(inputWidth, targets, standardizer, blockRows, precision, false);
    }

    /** With {@code weighted}, every row carries a weight ({@link #weighNext}; 1 unless given). */
    public BlockStacker(int inputWidth, TargetEncoder targets, Standardizer standardizer, int blockRows,
                        Precision precision, boolean weighted) {
        if (inputWidth <= 0 || blockRows <= 0) {
            throw new IllegalArgumentException("need inputWidth > 0 and blockRows > 0, got "
                    + inputWidth + ", " + blockRows);
        }
        if (standardizer != null && standardizer.width() != inputWidth) {
            throw new IllegalArgumentException("standardizer is for " + standardizer.width() + " features, not "
                    + inputWidth);
        }
        this.inputWidth = inputWidth;
        this.targets = targets;
        this.standardizer = standardizer;
        this.blockRows = blockRows;
        this.precision = precision;
        this.weighted = weighted;
        this.row = new double[inputWidth];
    }

    private void add(Vector features, double label, Vector vectorLabel, boolean hasKey, long key) {
        if (features == null) {
            throw new BadRowException(rowsSeen, "features are null");
        }
        if (features.size() != inputWidth) {
            throw new BadRowException(rowsSeen, "has " + features.size() + " features, expected " + inputWidth);
        }
        if (features instanceof DenseVector d) {
            System.arraycopy(d.values(), 0, row, 0, inputWidth);
        } else {
            SparseVector s = (SparseVector) features;
            Arrays.fill(row, 0.0);
            int[] idx = s.indices();
            double[] vals = s.values();
            for (int i = 0; i < idx.length; i++) {
                row[idx[i]] = vals[i];
            }
        }
        addRow(label, vectorLabel, hasKey, key);
    }

    /**
     * The weight of the next row added (a stacker made {@code weighted}): finite and at least 0,
     * else the row is bad. 0 leaves the row out of every sum, as if it were not there.
     */
    public void weighNext(double weight) {
        if (!weighted) {
            throw new IllegalStateException("this stacker was not made for weighted rows");
        }
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new BadRowException(rowsSeen, "weight " + weight + " is not a finite number >= 0");
        }
        nextWeight = weight;
    }

    /** A row whose label is a vector: one value per regression output. */
    public void add(Vector features, Vector label) {
        if (label == null) {
            throw new BadRowException(rowsSeen, "label is null");
        }
        add(features, Double.NaN, label, false, 0);
    }

    /** A row whose label is a vector, known by {@code key} (e.g. {@link RowIdentity#ofId}). */
    public void add(Vector features, Vector label, long key) {
        if (label == null) {
            throw new BadRowException(rowsSeen, "label is null");
        }
        add(features, Double.NaN, label, true, key);
    }

    public void add(Vector features, double label) {
        add(features, label, null, false, 0);
    }

    /** A row known by {@code key} (e.g. {@link RowIdentity#ofId}) rather than by its content. */
    public void add(Vector features, double label, long key) {
        add(features, label, null, true, key);
    }

    public void add(double[] features, double label) {
        if (features.length != inputWidth) {
            throw new BadRowException(rowsSeen, "has " + features.length + " features, expected " + inputWidth);
        }
        System.arraycopy(features, 0, row, 0, inputWidth);
        addRow(label, null, false, 0);
    }

    private void addRow(double label, Vector vectorLabel, boolean hasKey, long key) {
        for (int j = 0; j < inputWidth; j++) {
            if (!Double.isFinite(row[j])) {
                throw new BadRowException(rowsSeen, "feature " + j + " is " + row[j]);
            }
        }
        if (x == null) {
            x = new double[inputWidth * blockRows];
            y = new double[targets.width() * blockRows];
            keys = new long[blockRows];
            weights = weighted ? new double[blockRows] : null;
        }
        try {
            if (vectorLabel != null) {
                targets.encode(vectorLabel, y, filled * targets.width());
            } else {
                targets.encode(label, y, filled * targets.width());
            }
        } catch (IllegalArgumentException e) {
            throw new BadRowException(rowsSeen, e.getMessage());
        }
        if (standardizer != null) {
            standardizer.apply(row, x, filled * inputWidth);
        } else {
            System.arraycopy(row, 0, x, filled * inputWidth, inputWidth);
        }
        if (hasKey) {
            keys[filled] = key;
        } else {
            keys[filled] = vectorLabel != null ? RowIdentity.ofContent(row, 0, inputWidth, vectorLabel)
                    : RowIdentity.ofContent(row, 0, inputWidth, label);
        }
        if (weighted) {
            weights[filled] = nextWeight;
            nextWeight = 1.0;
        }
        filled++;
        rowsSeen++;
        if (filled == blockRows) {
            flush();
        }
    }

    private void flush() {
        if (filled == 0) {
            return;
        }
        double[] fy = filled == blockRows ? y : Arrays.copyOf(y, filled * targets.width());
        long[] fk = filled == blockRows ? keys : Arrays.copyOf(keys, filled);
        Block block;
        if (precision == Precision.FLOAT32) {
            float[] fx = FloatBackprop.toFloat(x, filled * inputWidth, null);
            block = new Block(inputWidth, targets.width(), filled, fx, fy, fk);
        } else {
            double[] fx = filled == blockRows ? x : Arrays.copyOf(x, filled * inputWidth);
            block = new Block(inputWidth, targets.width(), filled, fx, fy, fk);
        }
        blocks.add(weighted ? block.withWeights(filled == blockRows ? weights : Arrays.copyOf(weights, filled)) : block);
        weights = null;
        x = null;
        y = null;
        keys = null;
        filled = 0;
    }

    public long rowCount() {
        return rowsSeen;
    }

    /** The blocks stacked so far, the last one possibly short; the stacker is spent afterwards. */
    public List<Block> finish() {
        flush();
        return List.copyOf(blocks);
    }
}
