import io.sparkprop.nn.PackedDoubles;
import io.sparkprop.optim.Adam;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;

/**
 * The loops a float32 step runs on the values of the whole network, each way written: what the
 * task does with its sum before sending it (is every value a float? then round it), what the
 * task and the driver do with the floats they receive (widen them to double), and Adam's step.
 * Sized for the Fashion-MNIST network (784-256-128-10: 235,146 parameters). These loops run while
 * the other side waits, every step (docs/SPEED.md, "The step's conversions"). sparkprop's own
 * code ({@link PackedDoubles#roundsExactly}, {@link Adam}) against the way it was written before,
 * all on one thread but sparkprop's Adam, which runs in slices on the machine's cores (Slices)
 * since 2026-12-07, evening. Prints the median of the rounds, in ms per pass.
 *
 * Run from the repository, after a build:
 *   java -cp target/sparkprop.jar src/bench/ConversionTiming.java [ROUNDS]
 */
public class ConversionTiming {
    private static final int N = 235_146;
    private static final int PASSES = 100;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        double[] sums = new double[N];
        for (int i = 0; i < N; i++) {
            sums[i] = (float) Math.sin(i); // a float32 step's sum: floats, in double
        }
        float[] floats = new float[N];
        double[] back = new double[N];
        ByteBuffer bytes = ByteBuffer.allocate(N * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(floats);
        double[] w = new double[N];
        Adam adam = new Adam(B1, B2, EPS);
        adam.initialise(N);
        double[] m = new double[N];
        double[] v = new double[N];
        double[] g = new double[N];
        String[] names = {
            "check (stops at the first non-float), then round", "round and check in one pass (sparkprop)",
            "floats read one by one from a buffer view", "floats read in bulk, then widened",
            "Adam: direction pass, then weights pass", "Adam: one pass, one thread",
            "Adam: one pass in slices on the cores (sparkprop)",
        };
        double[][] ms = new double[names.length][rounds];
        boolean[] sink = new boolean[1];
        for (int r = 0; r < rounds; r++) {
            ms[0][r] = time(() -> sink[0] ^= checkThenRound(sums, floats));
            ms[1][r] = time(() -> sink[0] ^= PackedDoubles.roundsExactly(sums, floats));
            ms[2][r] = time(() -> readOneByOne(bytes, back));
            ms[3][r] = time(() -> readInBulk(bytes, floats, back));
            Arrays.fill(g, 1e-3);
            ms[4][r] = time(() -> adamTwoPasses(w, g, m, v));
            ms[5][r] = time(() -> adamOnePass(w, g, m, v));
            ms[6][r] = time(() -> adam.stepInPlace(w, g, ALPHA));
        }
        for (int k = 0; k < names.length; k++) {
            Arrays.sort(ms[k]);
            System.out.printf(Locale.ROOT, "%-50s %.3f ms%n", names[k], ms[k][rounds / 2]);
        }
    }

    private static double time(Runnable pass) {
        long start = System.nanoTime();
        for (int i = 0; i < PASSES; i++) {
            pass.run();
        }
        return (System.nanoTime() - start) / 1e6 / PASSES;
    }

    private static boolean checkThenRound(double[] values, float[] into) {
        for (double x : values) {
            if ((double) (float) x != x) {
                return false;
            }
        }
        for (int i = 0; i < values.length; i++) {
            into[i] = (float) values[i];
        }
        return true;
    }

    private static void readOneByOne(ByteBuffer in, double[] into) {
        FloatBuffer view = in.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int i = 0; i < into.length; i++) {
            into[i] = view.get(i);
        }
    }

    private static void readInBulk(ByteBuffer in, float[] scratch, double[] into) {
        in.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(scratch, 0, into.length);
        for (int i = 0; i < into.length; i++) {
            into[i] = scratch[i];
        }
    }

    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;
    private static final double ALPHA = 1e-9;
    private static long t;

    /** Adam as sparkprop wrote it before 5034a66: the direction into g, then the weights. */
    private static void adamTwoPasses(double[] w, double[] g, double[] m, double[] v) {
        t++;
        double c1 = 1.0 - Math.pow(B1, t); // not constants: a division by one the JIT could fold
        double c2 = 1.0 - Math.pow(B2, t);
        for (int i = 0; i < g.length; i++) {
            g[i] = advance(i, g[i], m, v, c1, c2);
        }
        for (int i = 0; i < w.length; i++) {
            w[i] -= ALPHA * g[i];
        }
    }

    /** Adam as sparkprop wrote it from 5034a66 until it ran in slices: one pass, one thread. */
    private static void adamOnePass(double[] w, double[] g, double[] m, double[] v) {
        t++;
        double c1 = 1.0 - Math.pow(B1, t);
        double c2 = 1.0 - Math.pow(B2, t);
        for (int i = 0; i < w.length; i++) {
            w[i] -= ALPHA * advance(i, g[i], m, v, c1, c2);
        }
    }

    /** Moves m_i and v_i on by gi and returns the bias-corrected direction, as Adam's own advance. */
    private static double advance(int i, double gi, double[] m, double[] v, double c1, double c2) {
        double mi = B1 * m[i] + (1.0 - B1) * gi;
        double vi = B2 * v[i] + (1.0 - B2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        return (mi / c1) / (Math.sqrt(vi / c2) + EPS);
    }
}
