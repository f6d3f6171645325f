package io.sparkprop.train;

import io.sparkprop.data.RowIdentity;
import io.sparkprop.nn.Block;
import io.sparkprop.nn.Dropout;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Precision;
import io.sparkprop.nn.RowInfo;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The rows one partition holds, as blocks, and what a step asks of them.
 *
 * <p>Which rows a step uses is a pure function of (seed, epoch, row identity): row r belongs to
 * step {@link RowIdentity#stepOf}(epochKey(seed, epoch), identity(r), stepsPerEpoch), whatever
 * partition holds it and wherever in the partition it sits. So the same data gives the same
 * batches on 1 or 70 partitions, each batch's size varies a little around the nominal one, and
 * every row is used once an epoch. Within a partition a step's rows are taken in their stored
 * order (block by block, column by column), so a fixed partitioning adds them up the same way
 * every time: bitwise the same sums after a retry, a lost executor or a resume.
 *
 * <p>The rows' identities are hashed once, when the blocks are stacked; once an epoch each block's
 * columns are sorted by their step (one {@code long} per row, memoised beside the cached blocks),
 * and each step then finds its columns by binary search, with no per-row hashing or allocation.
 * A full pass (one step an epoch) takes the blocks in their stored order, with no gather, so it
 * equals full-batch gradient descent exactly.
 */
public final class Shard {
    /**
     * The current epoch's order of each partition, keyed by the partition's first cached block: Spark
     * hands a task the same block objects every step while they stay cached, and the entry goes when
     * they do. A block read back from disk is a new object and gets its order again.
     */
    private static final Map<Block, EpochOrder> ORDERS = Collections.synchronizedMap(new WeakHashMap<>());

    private final List<Block> blocks;
    private final int rowCount;

    public Shard(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
        long rows = 0;
        for (Block b : blocks) {
            if (b.precision() != blocks.get(0).precision()) {
                throw new IllegalArgumentException("a partition holds both float32 and float64 blocks");
            }
            if ((b.weights() == null) != (blocks.get(0).weights() == null)) {
                throw new IllegalArgumentException("a partition holds both weighted and unweighted blocks");
            }
            rows += b.size();
        }
        if (rows > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a partition of " + rows + " rows is too large; repartition");
        }
        this.rowCount = (int) rows;
    }

    public int rowCount() {
        return rowCount;
    }

    /**
     * Adds this partition's share of the step's gradient sums into {@code into}. The partition's
     * index does not enter: which rows take part depends on the rows alone.
     */
    public void accumulate(double[] w, Step step, int partition, ShardWorkspace ws, GradientSum into) {
        if (rowCount == 0) {
            return;
        }
        boolean floats = blocks.get(0).precision() == Precision.FLOAT32;
        float[] w32 = floats ? ws.floatWeights(w) : null;
        Dropout dropout = step.dropout();
        long dropoutKey = step.dropoutKey();
        if (step.isFullPass()) {
            for (Block b : blocks) {
                RowInfo rows = new RowInfo(dropout.isOff() ? null : rowKeys(b), b.weights(), 0);
                if (floats) {
                    ws.floatBackprop().accumulate(w32, b.floatFeatures(), 0, b.targets(), 0, b.size(), into, dropout,
                            dropoutKey, rows);
                } else {
                    ws.backprop().accumulate(w, b.features(), 0, b.targets(), 0, b.size(), into, dropout, dropoutKey,
                            rows);
                }
            }
            return;
        }
        long[][] order = epochOrder(step);
        long first = (long) step.index() << 32;
        long next = (long) (step.index() + 1) << 32;
        int n0 = ws.topology().inputWidth();
        int nL = ws.topology().outputWidth();
        Object gatherX = floats ? ws.floatGatherX() : ws.gatherX();
        double[] gatherY = ws.gatherY();
        long[] gatherKeys = ws.gatherKeys();
        boolean weighted = blocks.get(0).weights() != null;
        double[] gatherWeights = weighted ? ws.gatherWeights() : null;
        int cols = 0;
        for (int bi = 0; bi < blocks.size(); bi++) {
            Block b = blocks.get(bi);
            Object x = floats ? b.floatFeatures() : b.features();
            long[] keys = step.dropout().isOff() ? null : rowKeys(b);
            double[] rowWeights = b.weights();
            long[] sorted = order[bi];
            for (int k = lowerBound(sorted, first), end = lowerBound(sorted, next); k < end; k++) {
                int col = (int) sorted[k]; // the low 32 bits: the column in the block
                System.arraycopy(x, col * n0, gatherX, cols * n0, n0);
                System.arraycopy(b.targets(), col * nL, gatherY, cols * nL, nL);
                if (keys != null) {
                    gatherKeys[cols] = keys[col];
                }
                if (weighted) {
                    gatherWeights[cols] = rowWeights[col];
                }
                if (++cols == ws.maxColumns()) {
                    accumulateGathered(w, w32, ws, cols, step, gatherWeights, into);
                    cols = 0;
                }
            }
        }
        if (cols > 0) {
            accumulateGathered(w, w32, ws, cols, step, gatherWeights, into);
        }
    }

    /** Backprop over the first {@code cols} gathered rows, in float when {@code w32} (w as floats) is given. */
    private static void accumulateGathered(double[] w, float[] w32, ShardWorkspace ws, int cols, Step step,
                                           double[] gatherWeights, GradientSum into) {
        RowInfo rows = new RowInfo(ws.gatherKeys(), gatherWeights, 0);
        if (w32 != null) {
            ws.floatBackprop().accumulate(w32, ws.floatGatherX(), 0, ws.gatherY(), 0, cols, into, step.dropout(),
                    step.dropoutKey(), rows);
        } else {
            ws.backprop().accumulate(w, ws.gatherX(), 0, ws.gatherY(), 0, cols, into, step.dropout(),
                    step.dropoutKey(), rows);
        }
    }

    /** Adds the loss, count and correct count of every row (no gradient; weighted, if rows are) into {@code into}. */
    public void evaluate(double[] w, ShardWorkspace ws, GradientSum into) {
        float[] w32 = !blocks.isEmpty() && blocks.get(0).precision() == Precision.FLOAT32 ? ws.floatWeights(w) : null;
        for (Block b : blocks) {
            RowInfo rows = new RowInfo(null, b.weights(), 0);
            if (w32 != null) {
                ws.floatBackprop().evaluate(w32, b.floatFeatures(), 0, b.targets(), 0, b.size(), into, rows);
            } else {
                ws.backprop().evaluate(w, b.features(), 0, b.targets(), 0, b.size(), into, rows);
            }
        }
    }

    /** Per block, its columns as (step << 32 | column), sorted: the epoch's steps in stored order. */
    private long[][] epochOrder(Step step) {
        Block key = blocks.get(0);
        EpochOrder cached = ORDERS.get(key);
        if (cached != null && cached.isFor(step, blocks)) {
            return cached.byBlock;
        }
        long epochKey = RowIdentity.epochKey(step.seed(), step.epoch());
        int steps = step.stepsPerEpoch();
        long[][] byBlock = new long[blocks.size()][];
        for (int bi = 0; bi < blocks.size(); bi++) {
            Block b = blocks.get(bi);
            long[] keys = rowKeys(b);
            long[] sorted = new long[b.size()];
            for (int c = 0; c < sorted.length; c++) {
                sorted[c] = ((long) RowIdentity.stepOf(epochKey, keys[c], steps) << 32) | c;
            }
            Arrays.sort(sorted);
            byBlock[bi] = sorted;
        }
        ORDERS.put(key, new EpochOrder(step.seed(), step.epoch(), steps, byBlock));
        return byBlock;
    }

    /** Each row's identity: the keys stored with the block, or for blocks without, their content's. */
    private static long[] rowKeys(Block b) {
        return b.rowKeys() != null ? b.rowKeys() : contentKeys(b);
    }

    /** For blocks built without row keys: their stored columns stand for the rows. */
    private static long[] contentKeys(Block b) {
        if (b.features() == null) {
            throw new IllegalArgumentException("a float32 block needs its row keys (BlockStacker stores them)");
        }
        int n0 = b.inputWidth();
        int nL = b.targetWidth();
        long[] keys = new long[b.size()];
        for (int c = 0; c < keys.length; c++) {
            keys[c] = RowIdentity.ofColumns(b.features(), c * n0, n0, b.targets(), c * nL, nL);
        }
        return keys;
    }

    /** The first index whose value is >= {@code value}. */
    private static int lowerBound(long[] sorted, long value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private record EpochOrder(long seed, int epoch, int steps, long[][] byBlock) {
        boolean isFor(Step step, List<Block> blocks) {
            if (seed != step.seed() || epoch != step.epoch() || steps != step.stepsPerEpoch()
                    || byBlock.length != blocks.size()) {
                return false;
            }
            for (int i = 0; i < byBlock.length; i++) {
                if (byBlock[i].length != blocks.get(i).size()) {
                    return false;
                }
            }
            return true;
        }
    }
}
