package io.sparkprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class ShardWorkspaceTest {
    private static final double[] W = {0.1, -2.75, 1e-30, 3.0, 1.0 / 3};

    private static FloatBuffer sent(double[] w) {
        FloatBuffer f = FloatBuffer.allocate(w.length);
        for (double v : w) {
            f.put((float) v);
        }
        return f.flip();
    }

    @Test
    void weightsSentAsFloatsAreWidenedExactlyAndHandedOutAsSentUntilOthersCome() {
        ShardWorkspace ws = new ShardWorkspace(ShardTest.NET, 4);
        double[] reuse = new double[W.length];
        double[] w = ws.takeFloatWeights(sent(W), W.length, reuse);
        assertSame(reuse, w, "the array is reused when it fits");
        float[] floats = ws.floatWeights(w);
        for (int i = 0; i < W.length; i++) {
            assertEquals((double) (float) W[i], w[i], 0.0, "widened exactly");
            assertEquals((float) W[i], floats[i], 0.0f);
        }
        w[0] = 9; // only to see that w is not rounded again: a step task never changes it
        assertEquals((float) W[0], ws.floatWeights(w)[0], 0.0f, "the floats as sent");

        // the same array, now holding doubles that are not the floats' widening
        double[] other = {0.2, 0.3, 0.4, 0.5, 0.6};
        System.arraycopy(other, 0, w, 0, other.length);
        ws.tookDoubleWeights();
        float[] rounded = ws.floatWeights(w);
        for (int i = 0; i < other.length; i++) {
            assertEquals((float) other[i], rounded[i], 0.0f, "weights that came as doubles are rounded");
        }

        double[] again = ws.takeFloatWeights(sent(W), W.length, null);
        assertNotSame(w, again);
        double[] third = W.clone(); // another array, never sent: rounded, not taken for the sent one
        third[0] = 7;
        assertEquals(7f, ws.floatWeights(third)[0], 0.0f);
        assertEquals((float) W[0], ws.floatWeights(again)[0], 0.0f,
                "the sent floats' buffer held another array's rounding since: rounded again");
        again[0] = 5; // changed in place: a local trainer does this, and never sends floats
        assertEquals(5f, ws.floatWeights(again)[0], 0.0f);
    }
}
