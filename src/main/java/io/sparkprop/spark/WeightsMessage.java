package io.sparkprop.spark;

import io.sparkprop.nn.PackedDoubles;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamField;
import java.io.Serializable;

/**
 * The weights a step broadcasts, serialized as one run of bytes rather than double by double.
 * The array is not {@code transient}, so that Kryo (which skips transient fields and ignores
 * writeObject) still carries it; Java serialization writes no fields, only the bytes.
 */
final class WeightsMessage implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectStreamField[] serialPersistentFields = {};
    private double[] values;

    WeightsMessage(double[] values) {
        this.values = values;
    }

    double[] values() {
        return values;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        PackedDoubles.write(out, values);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        values = PackedDoubles.read(in);
    }
}
