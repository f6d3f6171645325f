package io.sparkprop.nn;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Forward and backward passes over blocks of samples, with the buffers they need.
 *
 * <p>One instance per task: it owns A_l, dZ_l and Z_L for up to {@code maxColumns} samples
 * and reuses them for every block, so the hot path allocates nothing. Not thread-safe. The
 * weights are read from a flat array in the {@link Topology} layout and never written here.
 *
 * <p>Notation of DESIGN.md: samples are columns, Z_l = W_l A_{l-1} + b_l, A_l = g_l(Z_l).
 */
public final class Backprop {
    private static final BLAS BLAS_INSTANCE = BLAS.getInstance();

    private final Topology topology;
    private final int maxColumns;
    private final double[][] a;  // a[l]: A_l (n_l x maxColumns), l = 1..L; A_0 is the caller's block
    private double[][] dz;       // dz[l]: dZ_l (n_l x maxColumns), l = 1..L; made by the first accumulate
    private final double[] zOut; // Z_L, kept because both log losses are computed from Z
    private double[][] scale;    // scale[l]: hidden layer l's dropout multipliers (n_l x maxColumns), on first use
    private double[][] kept;     // kept[l]: A_l .* scale[l], what layer l+1 sees under dropout

    public Backprop(Topology topology, int maxColumns) {
        if (maxColumns <= 0) {
            throw new IllegalArgumentException("maxColumns must be positive, got " + maxColumns);
        }
        this.topology = topology;
        this.maxColumns = maxColumns;
        int layers = topology.layerCount();
        this.a = new double[layers + 1][];
        for (int l = 1; l <= layers; l++) {
            a[l] = new double[topology.width(l) * maxColumns];
        }
        this.zOut = new double[topology.outputWidth() * maxColumns];
    }

    /** dZ of every layer, made by the first accumulate: prediction never needs it. */
    private void makeBackwardBuffers() {
        int layers = topology.layerCount();
        dz = new double[layers + 1][];
        for (int l = 1; l <= layers; l++) {
            dz[l] = new double[topology.width(l) * maxColumns];
        }
    }

    public Topology topology() {
        return topology;
    }

    public int maxColumns() {
        return maxColumns;
    }

    /**
     * Runs the forward pass on {@code cols <= maxColumns} samples of X at {@code xOff} and returns
     * the buffer holding A_L (n_L x cols, from offset 0). The buffer is reused by the next call.
     */
    public double[] forward(double[] w, double[] x, int xOff, int cols) {
        return forward(w, x, xOff, cols, null, 0, RowInfo.NONE);
    }

    /** The forward pass; with {@code dropout} on, each hidden layer's A_l is masked as it goes up. */
    private double[] forward(double[] w, double[] x, int xOff, int cols, Dropout dropout, long stepKey,
                             RowInfo rows) {
        checkColumns(cols);
        int layers = topology.layerCount();
        if (cols == 0) {
            return a[layers];
        }
        boolean masked = dropout != null && !dropout.isOff();
        for (int l = 1; l <= layers; l++) {
            double[] in = l == 1 ? x : below(l, masked);
            int inOff = l == 1 ? xOff : 0;
            denseForward(w, l, in, inOff, a[l], cols);
            if (l == layers) {
                System.arraycopy(a[l], 0, zOut, 0, topology.outputWidth() * cols);
            }
            topology.activation(l).forwardInPlace(a[l], 0, topology.width(l), cols);
            if (masked && l < layers) {
                int len = topology.width(l) * cols;
                dropout.fill(scale(l), l, topology.width(l), stepKey, rows.keys(), rows.offset(), cols);
                for (int i = 0; i < len; i++) {
                    kept[l][i] = a[l][i] * scale[l][i];
                }
            }
        }
        return a[layers];
    }

    /** What layer l sees of the layer below: A_{l-1}, or its dropout-masked copy. */
    private double[] below(int l, boolean masked) {
        return masked ? kept[l - 1] : a[l - 1];
    }

    private double[] scale(int l) {
        if (scale == null) {
            scale = new double[topology.layerCount()][];
            kept = new double[topology.layerCount()][];
        }
        if (scale[l] == null) {
            scale[l] = new double[topology.width(l) * maxColumns];
            kept[l] = new double[topology.width(l) * maxColumns];
        }
        return scale[l];
    }

    /** Z_L (n_L x cols, from offset 0) of the last {@link #forward}: the output layer before g_L. */
    public double[] outputScores() {
        return zOut;
    }

    /**
     * Adds the gradient sums of the loss over {@code cols} samples (X at xOff, Y at yOff) into
     * {@code into}, with their loss sum, count and correct count. Any cols: the samples are
     * taken maxColumns at a time.
     */
    public void accumulate(double[] w, double[] x, int xOff, double[] y, int yOff, int cols, GradientSum into) {
        accumulate(w, x, xOff, y, yOff, cols, into, Dropout.NONE, 0, RowInfo.NONE);
    }

    /**
     * {@link #accumulate} for rows that may carry weights (every sum weighted by w_i) and, with
     * {@code dropout} on, identities: the masks of the step {@code stepKey} for those rows.
     */
    public void accumulate(double[] w, double[] x, int xOff, double[] y, int yOff, int cols, GradientSum into,
                           Dropout dropout, long stepKey, RowInfo rows) {
        int n0 = topology.inputWidth();
        int nL = topology.outputWidth();
        if (dz == null) {
            makeBackwardBuffers();
        }
        for (int start = 0; start < cols; start += maxColumns) {
            int chunk = Math.min(maxColumns, cols - start);
            accumulateChunk(w, x, xOff + start * n0, y, yOff + start * nL, chunk, into, dropout, stepKey,
                    rows.skip(start));
        }
    }

    /**
     * Adds only the loss sum, count and correct count of {@code cols} samples into {@code into}:
     * a forward pass, for validation and evaluation.
     */
    public void evaluate(double[] w, double[] x, int xOff, double[] y, int yOff, int cols, GradientSum into) {
        evaluate(w, x, xOff, y, yOff, cols, into, RowInfo.NONE);
    }

    /** {@link #evaluate} for rows that may carry weights. */
    public void evaluate(double[] w, double[] x, int xOff, double[] y, int yOff, int cols, GradientSum into,
                         RowInfo rows) {
        int n0 = topology.inputWidth();
        int nL = topology.outputWidth();
        for (int start = 0; start < cols; start += maxColumns) {
            int chunk = Math.min(maxColumns, cols - start);
            double[] out = forward(w, x, xOff + start * n0, chunk);
            OutputLayer.addStatistics(topology, zOut, out, y, yOff + start * nL, chunk, rows.skip(start), into);
        }
    }

    private void accumulateChunk(double[] w, double[] x, int xOff, double[] y, int yOff, int cols, GradientSum into,
                                 Dropout dropout, long stepKey, RowInfo rows) {
        int layers = topology.layerCount();
        int nL = topology.outputWidth();
        boolean masked = !dropout.isOff();
        if (masked && rows.keys() == null) {
            throw new IllegalArgumentException("dropout needs the rows' identities");
        }
        double[] out = forward(w, x, xOff, cols, dropout, stepKey, rows);
        OutputLayer.addStatistics(topology, zOut, out, y, yOff, cols, rows, into);
        topology.loss().deltaInPlace(topology.outputActivation(), out, 0, y, yOff, dz[layers], 0, nL * cols);
        OutputLayer.weighDelta(dz[layers], nL, cols, rows);
        double[] sums = into.sums();
        for (int l = layers; l >= 1; l--) {
            double[] in = l == 1 ? x : below(l, masked);
            int inOff = l == 1 ? xOff : 0;
            denseBackward(w, l, in, inOff, dz[l], l == 1 ? null : dz[l - 1], sums, cols);
            if (l > 1) {
                int len = topology.width(l - 1) * cols;
                if (masked) { // dA_{l-1} = dA'_{l-1} .* scale, then g' from the unmasked A_{l-1}
                    for (int i = 0; i < len; i++) {
                        dz[l - 1][i] *= scale[l - 1][i];
                    }
                }
                topology.activation(l - 1).derivativeTimesInPlace(dz[l - 1], 0, a[l - 1], 0, len);
            }
        }
    }

    /**
     * Z_l = W_l A_{l-1} + b_l.
     * W_l: (n_l x n_{l-1}) at weightOffset(l); in: A_{l-1} (n_{l-1} x cols); out: Z_l (n_l x cols).
     */
    private void denseForward(double[] w, int l, double[] in, int inOff, double[] out, int cols) {
        int nOut = topology.width(l);
        int nIn = topology.width(l - 1);
        int bOff = topology.biasOffset(l);
        for (int c = 0; c < cols; c++) {
            System.arraycopy(w, bOff, out, c * nOut, nOut);
        }
        BLAS_INSTANCE.dgemm("N", "N", nOut, cols, nIn,
                1.0, w, topology.weightOffset(l), nOut, in, inOff, nIn,
                1.0, out, 0, nOut);
    }

    /**
     * The backward of {@link #denseForward}, given dZ_l (n_l x cols):
     * S_W_l += dZ_l A_{l-1}^T (n_l x n_{l-1}); S_b_l += row sums of dZ_l (n_l);
     * dA_{l-1} = W_l^T dZ_l (n_{l-1} x cols), written into dPrev unless it is null (l = 1).
     */
    private void denseBackward(double[] w, int l, double[] in, int inOff, double[] dzl, double[] dPrev,
                               double[] sums, int cols) {
        int nOut = topology.width(l);
        int nIn = topology.width(l - 1);
        int wOff = topology.weightOffset(l);
        BLAS_INSTANCE.dgemm("N", "T", nOut, nIn, cols,
                1.0, dzl, 0, nOut, in, inOff, nIn,
                1.0, sums, wOff, nOut);
        int bOff = topology.biasOffset(l);
        for (int c = 0; c < cols; c++) {
            int base = c * nOut;
            for (int j = 0; j < nOut; j++) {
                sums[bOff + j] += dzl[base + j];
            }
        }
        if (dPrev != null) {
            BLAS_INSTANCE.dgemm("T", "N", nIn, cols, nOut,
                    1.0, w, wOff, nOut, dzl, 0, nOut,
                    0.0, dPrev, 0, nIn);
        }
    }

    private void checkColumns(int cols) {
        if (cols < 0 || cols > maxColumns) {
            throw new IllegalArgumentException("cannot run " + cols + " samples through buffers for "
                    + maxColumns);
        }
    }

    /** Whether sigmoid units run in SIMD lanes (the JVM has jdk.incubator.vector); the bits are the same either way. */
    public static boolean simdSigmoid() {
        return SigmoidKernel.VECTORIZED;
    }
}
