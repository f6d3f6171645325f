package io.sparkprop.train;

import io.sparkprop.nn.Block;
import io.sparkprop.nn.GradientSum;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The rows one partition holds, as blocks, and what a step asks of them.
 *
 * <p>Which rows a step uses is a pure function of (seed, epoch, step, partition): each epoch
 * the partition's rows are permuted by a generator seeded from (seed, epoch, partition) and cut
 * into {@code stepsPerEpoch} contiguous ranges of near-equal size, so a global batch is spread
 * over partitions in proportion to their rows and every row is used once an epoch. The ranges
 * are rotated by a per-partition offset so that partitions smaller than the step count do not
 * all leave the same steps empty. A full pass (one step an epoch) takes the blocks in their
 * stored order, with no gather, so it equals full-batch gradient descent exactly.
 */
public final class Shard {
    private final List<Block> blocks;
    private final int[] blockStarts; // first row of each block, and the row count at the end
    private final int rowCount;

    public Shard(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
        this.blockStarts = new int[blocks.size() + 1];
        long rows = 0;
        for (int i = 0; i < blocks.size(); i++) {
            blockStarts[i] = (int) rows;
            rows += blocks.get(i).size();
        }
        if (rows > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a partition of " + rows + " rows is too large; repartition");
        }
        this.rowCount = (int) rows;
        blockStarts[blocks.size()] = rowCount;
    }

    public int rowCount() {
        return rowCount;
    }

    /** Adds this partition's share of the step's gradient sums into {@code into}. */
    public void accumulate(double[] w, Step step, int partition, ShardWorkspace ws, GradientSum into) {
        if (rowCount == 0) {
            return;
        }
        if (step.isFullPass()) {
            for (Block b : blocks) {
                ws.backprop.accumulate(w, b, into);
            }
            return;
        }
        int s = step.stepsPerEpoch();
        long key = mix(step.seed(), step.epoch(), partition);
        int rotated = (int) ((step.index() + Math.floorMod(key, (long) s)) % s);
        int lo = (int) ((long) rotated * rowCount / s);
        int hi = (int) ((long) (rotated + 1) * rowCount / s);
        int[] perm = permutation(ws, key);
        int n0 = ws.topology().inputWidth();
        int nL = ws.topology().outputWidth();
        for (int start = lo; start < hi; start += ws.maxColumns()) {
            int cols = Math.min(ws.maxColumns(), hi - start);
            for (int c = 0; c < cols; c++) {
                int row = perm[start + c];
                int bi = blockOf(row);
                Block b = blocks.get(bi);
                int col = row - blockStarts[bi];
                System.arraycopy(b.features(), col * n0, ws.gatherX, c * n0, n0);
                System.arraycopy(b.targets(), col * nL, ws.gatherY, c * nL, nL);
            }
            ws.backprop.accumulate(w, ws.gatherX, 0, ws.gatherY, 0, cols, into);
        }
    }

    /** Adds the loss, count and correct count of every row (no gradient) into {@code into}. */
    public void evaluate(double[] w, ShardWorkspace ws, GradientSum into) {
        for (Block b : blocks) {
            ws.backprop.evaluate(w, b.features(), 0, b.targets(), 0, b.size(), into);
        }
    }

    private int[] permutation(ShardWorkspace ws, long key) {
        if (ws.permutation != null && ws.permutation.length == rowCount && ws.permutationKey == key) {
            return ws.permutation;
        }
        // Fisher-Yates from the identity, so the permutation depends only on the generator.
        int[] perm = ws.permutation != null && ws.permutation.length == rowCount ? ws.permutation : new int[rowCount];
        for (int i = 0; i < rowCount; i++) {
            perm[i] = i;
        }
        SplittableRandom shuffle = new SplittableRandom(key);
        for (int i = rowCount - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        ws.permutation = perm;
        ws.permutationKey = key;
        return perm;
    }

    private int blockOf(int row) {
        int lo = 0;
        int hi = blocks.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (blockStarts[mid] <= row) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    static long mix(long seed, int epoch, int partition) {
        long h = seed * 0x9E3779B97F4A7C15L + epoch;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + partition;
        return h ^ (h >>> 29);
    }
}
