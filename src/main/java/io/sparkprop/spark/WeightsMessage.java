package io.sparkprop.spark;

import io.sparkprop.nn.PackedDoubles;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamField;
import java.io.Serializable;

/**
 * The weights a step sends, serialized as one run of bytes rather than double by double; for
 * float32 training, rounded to float on the way (half the bytes; the executors compute in float
 * and round them anyway, so the sums are bitwise the same). The array is not {@code transient},
 * so that Kryo (which skips transient fields and ignores writeObject) still carries it, whole;
 * Java serialization writes no fields, only the flag and the bytes.
 */
final class WeightsMessage implements Serializable {
    private static final long serialVersionUID = 2L;
    private static final ObjectStreamField[] serialPersistentFields = {};
    private double[] values;
    private boolean asFloats;

    WeightsMessage(double[] values, boolean asFloats) {
        this.values = values;
        this.asFloats = asFloats;
    }

    double[] values() {
        return values;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        out.writeBoolean(asFloats);
        if (asFloats) {
            PackedDoubles.writeAsFloats(out, values);
        } else {
            PackedDoubles.write(out, values);
        }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        asFloats = in.readBoolean();
        values = asFloats ? PackedDoubles.readFloats(in) : PackedDoubles.read(in);
    }
}
