import dev.ludovic.netlib.blas.BLAS;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Backprop;
import io.sparkprop.nn.FloatBackprop;
import io.sparkprop.nn.GradientSum;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import io.sparkprop.nn.WeightInit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The arithmetic of one training step on one thread, without Spark: forward and backward of a
 * batch through the Fashion-MNIST network (784-256-128-10, ReLU, softmax + cross-entropy), in
 * chunks of the trainer's 1024-row blocks, float32 and float64. It is the work that PyTorch does
 * per step on one core, so the two can be set side by side (docs/SPEED.md, "float32, transform
 * and time to accuracy"); what a training step costs beyond it is Spark's.
 *
 * Run from the repository, after a build (one BLAS thread, as Spark's tasks use):
 *   OPENBLAS_NUM_THREADS=1 java --add-modules jdk.incubator.vector \
 *     -cp "target/sparkprop.jar:target/spark-home/jars/*" src/bench/BackpropTiming.java [ROWS] [REPEATS]
 */
public class BackpropTiming {
    private static final int BLOCK_ROWS = 1024;

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Topology t = new Topology(new int[] {784, 256, 128, 10}, Activation.RELU, Activation.SOFTMAX,
                Loss.CROSS_ENTROPY);
        double[] w = WeightInit.initialWeights(t, 42);
        Random random = new Random(1);
        double[] x = new double[t.inputWidth() * rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        int classes = t.outputWidth();
        double[] y = new double[classes * rows];
        for (int c = 0; c < rows; c++) {
            y[c * classes + random.nextInt(classes)] = 1;
        }
        float[] xf = FloatBackprop.toFloat(x);
        float[] wf = FloatBackprop.toFloat(w);
        FloatBackprop single = new FloatBackprop(t, BLOCK_ROWS);
        Backprop twice = new Backprop(t, BLOCK_ROWS);
        System.out.printf(Locale.ROOT, "BLAS %s, %d rows a step, blocks of %d, median of %d after as many untimed%n",
                BLAS.getInstance().getClass().getSimpleName(), rows, BLOCK_ROWS, repeats);
        System.out.printf(Locale.ROOT, "float32 forward and backward: %.2f ms%n",
                median(repeats, () -> single.accumulate(wf, xf, 0, y, 0, rows, new GradientSum(t.parameterCount()))));
        System.out.printf(Locale.ROOT, "float64 forward and backward: %.2f ms%n",
                median(repeats, () -> twice.accumulate(w, x, 0, y, 0, rows, new GradientSum(t.parameterCount()))));
    }

    /** Milliseconds, the median of {@code repeats} timed runs after as many untimed (the JIT's). */
    private static double median(int repeats, Runnable step) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 2 * repeats; i++) {
            long t0 = System.nanoTime();
            step.run();
            if (i >= repeats) {
                ms.add((System.nanoTime() - t0) / 1e6);
            }
        }
        Collections.sort(ms);
        return ms.get(repeats / 2);
    }
}
