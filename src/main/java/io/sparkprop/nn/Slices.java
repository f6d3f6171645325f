package io.sparkprop.nn;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Elementwise passes over parameter-sized arrays cut into contiguous slices that run at once, one
 * in the calling thread, the others on helper threads. The driver makes these passes between two
 * steps (the optimizer's update, the weights rounded for the wire) while every step task waits
 * for it; in local mode the tasks' cores sit idle then. Each element is computed as one pass
 * would compute it, so the result is bitwise that of one pass, whatever the slices.
 */
public final class Slices {
    /**
     * Fewer elements than this to a slice are not worth handing over: waking a helper costs tens of
     * microseconds, about what a pass over this many doubles takes.
     */
    public static final int MIN_SLICE = 1 << 15;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    // Started on first use; daemons, so an application that never closes anything still exits.
    private static volatile ExecutorService helpers;

    private Slices() {
    }

    /** A pass over the elements [from, to). */
    @FunctionalInterface
    public interface Pass {
        void run(int from, int to);
    }

    /** A check over the elements [from, to). */
    @FunctionalInterface
    public interface Check {
        boolean holds(int from, int to);
    }

    /**
     * Runs {@code pass} over [0, n), in as many slices as there are cores, none under
     * {@link #MIN_SLICE}. A pass that itself runs slices runs them in its own thread.
     */
    public static void run(int n, Pass pass) {
        run(n, MIN_SLICE, pass);
    }

    /** {@link #run} with slices of at least {@code minSlice} elements. */
    public static void run(int n, int minSlice, Pass pass) {
        run(n, minSlice, (slice, from, to) -> pass.run(from, to));
    }

    /** A pass over the elements [from, to), told which slice they are. */
    @FunctionalInterface
    private interface SlicePass {
        void run(int slice, int from, int to);
    }

    private static void run(int n, int minSlice, SlicePass pass) {
        int slices = sliceCount(n, minSlice);
        if (slices <= 1 || Thread.currentThread() instanceof Helper) {
            pass.run(0, 0, n);
            return;
        }
        Future<?>[] others = new Future<?>[slices - 1];
        for (int s = 1; s < slices; s++) {
            int slice = s;
            int from = bound(n, slices, s);
            int to = bound(n, slices, s + 1);
            others[s - 1] = helpers().submit(() -> pass.run(slice, from, to));
        }
        Throwable failed = null;
        try {
            pass.run(0, 0, bound(n, slices, 1));
        } catch (RuntimeException | Error e) {
            failed = e;
        }
        // every slice is waited for, even after a failure: none may still write into the arrays
        failed = awaitAll(others, failed);
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
    }

    /** Whether {@code check} holds on every slice of [0, n). */
    public static boolean all(int n, Check check) {
        boolean[] holds = new boolean[sliceCount(n, MIN_SLICE)];
        java.util.Arrays.fill(holds, true); // a helper's call runs as one slice, and fills only the first
        run(n, MIN_SLICE, (slice, from, to) -> holds[slice] = check.holds(from, to));
        for (boolean h : holds) {
            if (!h) {
                return false;
            }
        }
        return true;
    }

    private static int sliceCount(int n, int minSlice) {
        if (minSlice < 1) {
            throw new IllegalArgumentException("a slice needs at least one element, got " + minSlice);
        }
        return (int) Math.max(1, Math.min(CORES, n / minSlice));
    }

    /** Where slice s of {@code slices} starts in [0, n). */
    private static int bound(int n, int slices, int s) {
        return (int) ((long) n * s / slices);
    }

    private static Throwable awaitAll(Future<?>[] others, Throwable failed) {
        boolean interrupted = false;
        for (Future<?> f : others) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the slice still writes into the caller's arrays: wait for it
                } catch (ExecutionException e) {
                    if (failed == null) {
                        failed = e.getCause();
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return failed;
    }

    private static ExecutorService helpers() {
        ExecutorService h = helpers;
        if (h == null) {
            synchronized (Slices.class) {
                h = helpers;
                if (h == null) {
                    h = Executors.newFixedThreadPool(Math.max(1, CORES - 1), Helper::new);
                    helpers = h;
                }
            }
        }
        return h;
    }

    /** A helper thread: a slice that waited for slices on the same helpers could wait forever. */
    private static final class Helper extends Thread {
        Helper(Runnable runnable) {
            super(runnable, "sparkprop: slices of a pass");
            setDaemon(true);
        }
    }
}
