package io.sparkprop.nn;

import dev.ludovic.netlib.blas.BLAS;

/**
 * {@link Backprop}'s passes in float32, where the work is: X, A_l and dZ_l of the hidden layers
 * are floats and every matrix product is an sgemm (about twice dgemm's rate, half its bytes).
 *
 * <p>Doubles where precision is cheap to keep: Z_L comes back to double, and the output unit,
 * the loss and dZ_L are computed there by the float64 code ({@link Loss}, {@link Activation});
 * they are n_L x B, a sliver of the work. One call's sums (S_W += dZ_l A_{l-1}^T by sgemm, S_b)
 * run in float over its chunks (a shard calls once per block, or per gathered batch), then go
 * into the double sums: across blocks and partitions the sums are double. The weights are a
 * float copy of the driver's doubles.
 *
 * <p>One instance per task, buffers for up to {@code maxColumns} samples, reused; not
 * thread-safe. Notation of DESIGN.md: samples are columns, Z_l = W_l A_{l-1} + b_l.
 */
public final class FloatBackprop {
    private static final BLAS BLAS_INSTANCE = BLAS.getInstance();

    private final Topology topology;
    private final int maxColumns;
    private final float[][] a;     // a[l]: A_l (n_l x maxColumns), l = 1..L-1; a[L]: Z_L as computed in float
    // The backward pass's buffers, made by the first accumulate: prediction never needs them, and
    // partial alone is as large as the weights.
    private float[][] dz;          // dz[l]: dZ_l (n_l x maxColumns), l = 1..L
    private final double[] zOut;   // Z_L (n_L x maxColumns), in double
    private final double[] aOut;   // A_L = g_L(Z_L), in double
    private double[] dzOut;        // dZ_L, in double, before it goes down as float
    private float[] partial;       // one call's gradient sums, in the flat parameter layout
    private float[] ones;          // maxColumns ones: row sums as a matrix-vector product
    private float[][] scale;       // scale[l]: hidden layer l's dropout multipliers, on first use
    private float[][] kept;        // kept[l]: A_l .* scale[l], what layer l+1 sees under dropout

    public FloatBackprop(Topology topology, int maxColumns) {
        if (maxColumns <= 0) {
            throw new IllegalArgumentException("maxColumns must be positive, got " + maxColumns);
        }
        this.topology = topology;
        this.maxColumns = maxColumns;
        int layers = topology.layerCount();
        this.a = new float[layers + 1][];
        for (int l = 1; l <= layers; l++) {
            a[l] = new float[topology.width(l) * maxColumns];
        }
        int outputs = topology.outputWidth() * maxColumns;
        this.zOut = new double[outputs];
        this.aOut = new double[outputs];
    }

    private void makeBackwardBuffers() {
        int layers = topology.layerCount();
        dz = new float[layers + 1][];
        for (int l = 1; l <= layers; l++) {
            dz[l] = new float[topology.width(l) * maxColumns];
        }
        dzOut = new double[topology.outputWidth() * maxColumns];
        partial = new float[topology.parameterCount()];
        ones = new float[maxColumns];
        java.util.Arrays.fill(ones, 1f);
    }

    public Topology topology() {
        return topology;
    }

    public int maxColumns() {
        return maxColumns;
    }

    /** The weights in float, in the {@link Topology} layout. */
    public static float[] toFloat(double[] w) {
        return toFloat(w, w.length, null);
    }

    /**
     * The first {@code n} values rounded to float, into {@code reuse} when it holds exactly
     * {@code n}, else into a new array: the one place doubles become float32 training's floats.
     */
    public static float[] toFloat(double[] values, int n, float[] reuse) {
        float[] f = reuse != null && reuse.length == n ? reuse : new float[n];
        toFloat(values, 0, f, 0, n);
        return f;
    }

    /** {@code n} values from {@code values[from]} rounded to float, into {@code into} from {@code at}. */
    public static void toFloat(double[] values, int from, float[] into, int at, int n) {
        for (int i = 0; i < n; i++) {
            into[at + i] = (float) values[from + i];
        }
    }

    /** The first {@code n} floats widened to double (exactly), into {@code into}. */
    public static void toDouble(float[] values, int n, double[] into) {
        for (int i = 0; i < n; i++) {
            into[i] = values[i];
        }
    }

    /**
     * Runs the forward pass on {@code cols <= maxColumns} samples of X at {@code xOff} and returns
     * the buffer holding A_L in double (n_L x cols, from offset 0), reused by the next call.
     */
    public double[] forward(float[] w, float[] x, int xOff, int cols) {
        return forward(w, x, xOff, cols, null, 0, RowInfo.NONE);
    }

    /** The forward pass; with {@code dropout} on, each hidden layer's A_l is masked as it goes up. */
    private double[] forward(float[] w, float[] x, int xOff, int cols, Dropout dropout, long stepKey,
                             RowInfo rows) {
        if (cols < 0 || cols > maxColumns) {
            throw new IllegalArgumentException("cannot run " + cols + " samples through buffers for " + maxColumns);
        }
        int layers = topology.layerCount();
        boolean masked = dropout != null && !dropout.isOff();
        for (int l = 1; l <= layers && cols > 0; l++) {
            float[] in = l == 1 ? x : below(l, masked);
            denseForward(w, l, in, l == 1 ? xOff : 0, a[l], cols);
            if (l < layers) {
                int len = topology.width(l) * cols;
                topology.activation(l).forwardInPlace(a[l], 0, len);
                if (masked) {
                    dropout.fill(scale(l), l, topology.width(l), stepKey, rows.keys(), rows.offset(), cols);
                    for (int i = 0; i < len; i++) {
                        kept[l][i] = a[l][i] * scale[l][i];
                    }
                }
            }
        }
        int len = topology.outputWidth() * cols;
        for (int i = 0; i < len; i++) {
            zOut[i] = a[layers][i];
        }
        System.arraycopy(zOut, 0, aOut, 0, len);
        topology.outputActivation().forwardInPlace(aOut, 0, topology.outputWidth(), cols);
        return aOut;
    }

    /** What layer l sees of the layer below: A_{l-1}, or its dropout-masked copy. */
    private float[] below(int l, boolean masked) {
        return masked ? kept[l - 1] : a[l - 1];
    }

    private float[] scale(int l) {
        if (scale == null) {
            scale = new float[topology.layerCount()][];
            kept = new float[topology.layerCount()][];
        }
        if (scale[l] == null) {
            scale[l] = new float[topology.width(l) * maxColumns];
            kept[l] = new float[topology.width(l) * maxColumns];
        }
        return scale[l];
    }

    /** Z_L in double (n_L x cols, from offset 0) of the last {@link #forward}. */
    public double[] outputScores() {
        return zOut;
    }

    /**
     * Adds the gradient sums of the loss over {@code cols} samples (X at xOff, Y at yOff) into
     * {@code into}, with their loss sum, count and correct count; maxColumns at a time.
     */
    public void accumulate(float[] w, float[] x, int xOff, double[] y, int yOff, int cols, GradientSum into) {
        accumulate(w, x, xOff, y, yOff, cols, into, Dropout.NONE, 0, RowInfo.NONE);
    }

    /** {@link #accumulate} with {@code dropout}: {@link Backprop}'s masks, for the same rows and step. */
    public void accumulate(float[] w, float[] x, int xOff, double[] y, int yOff, int cols, GradientSum into,
                           Dropout dropout, long stepKey, RowInfo rows) {
        int n0 = topology.inputWidth();
        int nL = topology.outputWidth();
        if (!dropout.isOff() && rows.keys() == null) {
            throw new IllegalArgumentException("dropout needs the rows' identities");
        }
        if (partial == null) {
            makeBackwardBuffers();
        }
        java.util.Arrays.fill(partial, 0f);
        for (int start = 0; start < cols; start += maxColumns) {
            int chunk = Math.min(maxColumns, cols - start);
            accumulateChunk(w, x, xOff + start * n0, y, yOff + start * nL, chunk, into, dropout, stepKey,
                    rows.skip(start));
        }
        into.addFloats(partial);
    }

    /** Adds only the loss sum, count and correct count of {@code cols} samples (weighted, if they are). */
    public void evaluate(float[] w, float[] x, int xOff, double[] y, int yOff, int cols, GradientSum into,
                         RowInfo rows) {
        int n0 = topology.inputWidth();
        int nL = topology.outputWidth();
        for (int start = 0; start < cols; start += maxColumns) {
            int chunk = Math.min(maxColumns, cols - start);
            double[] out = forward(w, x, xOff + start * n0, chunk);
            OutputLayer.addStatistics(topology, zOut, out, y, yOff + start * nL, chunk, rows.skip(start), into);
        }
    }

    private void accumulateChunk(float[] w, float[] x, int xOff, double[] y, int yOff, int cols, GradientSum into,
                                 Dropout dropout, long stepKey, RowInfo rows) {
        int layers = topology.layerCount();
        int nL = topology.outputWidth();
        boolean masked = !dropout.isOff();
        double[] out = forward(w, x, xOff, cols, dropout, stepKey, rows);
        OutputLayer.addStatistics(topology, zOut, out, y, yOff, cols, rows, into);
        topology.loss().deltaInPlace(topology.outputActivation(), out, 0, y, yOff, dzOut, 0, nL * cols);
        OutputLayer.weighDelta(dzOut, nL, cols, rows);
        for (int i = 0, len = nL * cols; i < len; i++) {
            dz[layers][i] = (float) dzOut[i];
        }
        for (int l = layers; l >= 1; l--) {
            float[] in = l == 1 ? x : below(l, masked);
            denseBackward(w, l, in, l == 1 ? xOff : 0, dz[l], l == 1 ? null : dz[l - 1], cols);
            if (l > 1) {
                int len = topology.width(l - 1) * cols;
                if (masked) { // dA_{l-1} = dA'_{l-1} .* scale, then g' from the unmasked A_{l-1}
                    for (int i = 0; i < len; i++) {
                        dz[l - 1][i] *= scale[l - 1][i];
                    }
                }
                topology.activation(l - 1).derivativeTimesInPlace(dz[l - 1], a[l - 1], len);
            }
        }
    }

    /**
     * Z_l = W_l A_{l-1} + b_l.
     * W_l: (n_l x n_{l-1}) at weightOffset(l); in: A_{l-1} (n_{l-1} x cols); out: Z_l (n_l x cols).
     */
    private void denseForward(float[] w, int l, float[] in, int inOff, float[] out, int cols) {
        int nOut = topology.width(l);
        int nIn = topology.width(l - 1);
        int bOff = topology.biasOffset(l);
        for (int c = 0; c < cols; c++) {
            System.arraycopy(w, bOff, out, c * nOut, nOut);
        }
        BLAS_INSTANCE.sgemm("N", "N", nOut, cols, nIn,
                1f, w, topology.weightOffset(l), nOut, in, inOff, nIn,
                1f, out, 0, nOut);
    }

    /**
     * The backward of {@link #denseForward}, given dZ_l (n_l x cols): S_W_l += dZ_l A_{l-1}^T
     * (n_l x n_{l-1}) and S_b_l += row sums of dZ_l, into this call's float partial sums;
     * dA_{l-1} = W_l^T dZ_l (n_{l-1} x cols) into dPrev unless it is null (l = 1).
     */
    private void denseBackward(float[] w, int l, float[] in, int inOff, float[] dzl, float[] dPrev, int cols) {
        int nOut = topology.width(l);
        int nIn = topology.width(l - 1);
        int wOff = topology.weightOffset(l);
        BLAS_INSTANCE.sgemm("N", "T", nOut, nIn, cols,
                1f, dzl, 0, nOut, in, inOff, nIn,
                1f, partial, wOff, nOut);
        // S_b_l += dZ_l 1 as an sgemv: faster than a Java loop over the chunk, and native from the first step
        BLAS_INSTANCE.sgemv("N", nOut, cols, 1f, dzl, 0, nOut, ones, 0, 1, 1f, partial, topology.biasOffset(l), 1);
        if (dPrev != null) {
            BLAS_INSTANCE.sgemm("T", "N", nIn, cols, nOut,
                    1f, w, wOff, nOut, dzl, 0, nOut,
                    0f, dPrev, 0, nIn);
        }
    }
}
