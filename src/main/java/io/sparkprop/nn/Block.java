package io.sparkprop.nn;

import java.io.Serializable;

/**
 * B samples stacked as columns: features X (n_0 x B) and targets Y (n_L x B), both
 * column-major, so sample c is {@code x[c*n0 .. (c+1)*n0)}. This is the unit Spark caches
 * and the unit BLAS works on; rows are never objects of their own on the hot path.
 *
 * <p>X is doubles or, for {@link Precision#FLOAT32} training, floats (half the cached bytes);
 * Y stays doubles, since the loss and dZ_L are computed in double either way.
 */
public final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int inputWidth;
    private final int targetWidth;
    private final int size;
    private final double[] features;      // null when the features are floats
    private final float[] floatFeatures;  // null when the features are doubles
    private final double[] targets;
    private final long[] rowKeys;
    private final double[] weights;       // w_i per sample; null when every row weighs 1

    /** A block whose rows have no identity of their own: they are known by their stored content. */
    public Block(int inputWidth, int targetWidth, int size, double[] features, double[] targets) {
        this(inputWidth, targetWidth, size, features, targets, null);
    }

    /**
     * @param rowKeys one identity per sample (a hash of the row's raw content or of its id), which
     *                decides the step of an epoch the sample belongs to; null when there are none
     */
    public Block(int inputWidth, int targetWidth, int size, double[] features, double[] targets, long[] rowKeys) {
        this(inputWidth, targetWidth, size, features, null, targets, rowKeys, null);
    }

    /** A block whose features are floats (float32 training). */
    public Block(int inputWidth, int targetWidth, int size, float[] features, double[] targets, long[] rowKeys) {
        this(inputWidth, targetWidth, size, null, features, targets, rowKeys, null);
    }

    private Block(int inputWidth, int targetWidth, int size, double[] features, float[] floatFeatures,
                  double[] targets, long[] rowKeys, double[] weights) {
        int featureCount = features != null ? features.length : floatFeatures.length;
        if (inputWidth <= 0 || targetWidth <= 0 || size < 0) {
            throw new IllegalArgumentException("block of " + size + " samples needs positive widths, got "
                    + inputWidth + " inputs and " + targetWidth + " targets");
        }
        if (featureCount < (long) inputWidth * size || targets.length < (long) targetWidth * size) {
            throw new IllegalArgumentException("block arrays too short for " + size + " samples");
        }
        if (rowKeys != null && rowKeys.length < size) {
            throw new IllegalArgumentException("block has " + rowKeys.length + " row keys for " + size + " samples");
        }
        if (weights != null && weights.length < size) {
            throw new IllegalArgumentException("block has " + weights.length + " weights for " + size + " samples");
        }
        this.inputWidth = inputWidth;
        this.targetWidth = targetWidth;
        this.size = size;
        this.features = features;
        this.floatFeatures = floatFeatures;
        this.targets = targets;
        this.rowKeys = rowKeys;
        this.weights = weights;
    }

    /** This block with a weight w_i for each sample (null: every row weighs 1). */
    public Block withWeights(double[] sampleWeights) {
        return new Block(inputWidth, targetWidth, size, features, floatFeatures, targets, rowKeys, sampleWeights);
    }

    /** w_i per sample, or null when every row weighs 1; shared, not copied. */
    public double[] weights() {
        return weights;
    }

    public int inputWidth() {
        return inputWidth;
    }

    public int targetWidth() {
        return targetWidth;
    }

    /** B, the number of samples (columns). */
    public int size() {
        return size;
    }

    /** X, n_0 x B column-major, or null when it is floats; shared, not copied. */
    public double[] features() {
        return features;
    }

    /** X as floats, or null when it is doubles; shared, not copied. */
    public float[] floatFeatures() {
        return floatFeatures;
    }

    public Precision precision() {
        return features != null ? Precision.FLOAT64 : Precision.FLOAT32;
    }

    /** Y, n_L x B column-major; shared, not copied. */
    public double[] targets() {
        return targets;
    }

    /** The identity of each sample, or null when the block was built without them; shared, not copied. */
    public long[] rowKeys() {
        return rowKeys;
    }
}
