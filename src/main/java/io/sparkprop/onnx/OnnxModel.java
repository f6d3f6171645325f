package io.sparkprop.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import io.sparkprop.data.Standardizer;
import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A trained network as an ONNX model that predicts what the Spark model's {@code transform} does,
 * preprocessing included. The contract: one input {@code features}, float32 [N, n_0], raw values
 * as the model's features column holds them. A classifier outputs {@code label} (int64 [N], the
 * class index, which is the label value a sparkprop classifier is trained on) and
 * {@code probabilities} (float32 [N, K]); a regressor outputs {@code prediction} (float32
 * [N, outputs]) in the label's units.
 *
 * <p>Between its float32 input and outputs the graph computes in float64, as the model does:
 * its probabilities and predictions are the transform's rounded to float32, and its labels the
 * same. (In float32 throughout, a small probability such as s(-z) for z near 5 was 2e-5 off in
 * relative terms.) Operators are from the default domain at {@link #OPSET}.
 */
public final class OnnxModel {
    /** The ONNX operator set the graph is written against. */
    public static final int OPSET = 17;
    /** The IR version that goes with opset 17 (ONNX 1.12). */
    static final int IR_VERSION = 8;
    static final String BATCH = "N";

    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("sparkprop");
    private int names;

    private OnnxModel() {
    }

    /**
     * The model for a network with these weights (Spark MLP's flat layout, see {@link Topology}),
     * feature standardisation (null: none) and target encoding.
     */
    public static ModelProto of(Topology topology, double[] weights, Standardizer standardizer,
                                TargetEncoder targets, String producerVersion) {
        if (weights.length != topology.parameterCount()) {
            throw new IllegalArgumentException("network " + topology + " needs " + topology.parameterCount()
                    + " weights, got " + weights.length);
        }
        OnnxModel m = new OnnxModel();
        m.graph.addInput(m.tensorInfo("features", TensorProto.DataType.FLOAT, topology.inputWidth()));
        String x = m.node("Cast", "features", attr("to", TensorProto.DataType.DOUBLE.getNumber()));
        if (standardizer != null) {
            x = m.standardize(x, standardizer);
        }
        String z = m.layers(x, topology, weights);
        if (targets.isClassification()) {
            m.classify(z, topology, targets.classCount());
        } else {
            m.regress(z, targets);
        }
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("sparkprop")
                .setProducerVersion(producerVersion)
                .setDocString("sparkprop " + topology + (standardizer != null ? ", standardised features" : ""))
                .setGraph(m.graph)
                .build();
    }

    /** (x - mean) * (1 / std), per feature: the Standardizer's own formula. */
    private String standardize(String x, Standardizer s) {
        double[] invStd = s.std();
        for (int i = 0; i < invStd.length; i++) {
            invStd[i] = 1.0 / invStd[i];
        }
        String centred = node("Sub", x, constant("feature_mean", s.mean(), s.width()));
        return node("Mul", centred, constant("feature_inv_std", invStd, s.width()));
    }

    /**
     * Every layer l: Z_l = A_{l-1} W_l^T + b_l as one Gemm, then the hidden unit. W_l is stored
     * column-major (n_l x n_{l-1}), which is row-major W_l^T (n_{l-1} x n_l): Gemm's B as it is.
     * Returns Z_L, the output layer before its unit.
     */
    private String layers(String x, Topology t, double[] weights) {
        String a = x;
        for (int l = 1; l <= t.layerCount(); l++) {
            int in = t.width(l - 1);
            int out = t.width(l);
            double[] w = java.util.Arrays.copyOfRange(weights, t.weightOffset(l), t.biasOffset(l));
            double[] b = java.util.Arrays.copyOfRange(weights, t.biasOffset(l), t.biasOffset(l) + out);
            String z = node("Gemm", a, constant("W" + l, w, in, out), constant("b" + l, b, out));
            a = l < t.layerCount() ? activate(z, t.hiddenActivation()) : z;
        }
        return a;
    }

    private String activate(String z, Activation unit) {
        return switch (unit) {
            case SIGMOID -> node("Sigmoid", z);
            case TANH -> node("Tanh", z);
            case RELU -> node("Relu", z);
            case IDENTITY -> z;
            case SOFTMAX -> node("Softmax", z, attr("axis", 1));
        };
    }

    /**
     * The classifier's probabilities as its transform computes them: softmax of Z_L; (s(-z), s(z))
     * for one sigmoid output; the sigmoid outputs over their sum for the quadratic cost. The label
     * is the first class of highest probability, as Spark's arg max takes it.
     */
    private void classify(String z, Topology t, int classes) {
        String p;
        if (t.loss() == Loss.QUADRATIC) {
            String a = activate(z, t.outputActivation());
            String sum = node("ReduceSum", a, constant("class_axis", new long[] {1}), attr("keepdims", 1));
            p = node("Div", a, sum);
        } else if (t.outputWidth() == 1) {
            p = node("Concat", node("Sigmoid", node("Neg", z)), node("Sigmoid", z), attr("axis", 1));
        } else {
            p = node("Softmax", z, attr("axis", 1));
        }
        graph.addNode(NodeProto.newBuilder().setOpType("Cast").addInput(p).addOutput("probabilities")
                .addAttribute(attr("to", TensorProto.DataType.FLOAT.getNumber())));
        graph.addNode(NodeProto.newBuilder().setOpType("ArgMax").addInput(p).addOutput("label")
                .addAttribute(attr("axis", 1)).addAttribute(attr("keepdims", 0))
                .addAttribute(attr("select_last_index", 0)));
        graph.addOutput(tensorInfo("probabilities", TensorProto.DataType.FLOAT, classes));
        graph.addOutput(tensorInfo("label", TensorProto.DataType.INT64));
    }

    /** A_L (identity outputs) back in the label's units: A_L * scale + mean, per output. */
    private void regress(String z, TargetEncoder targets) {
        int outputs = targets.width();
        String scaled = node("Mul", z, constant("target_scale", targets.targetScales(), outputs));
        String value = node("Add", scaled, constant("target_mean", targets.targetMeans(), outputs));
        graph.addNode(NodeProto.newBuilder().setOpType("Cast").addInput(value).addOutput("prediction")
                .addAttribute(attr("to", TensorProto.DataType.FLOAT.getNumber())));
        graph.addOutput(tensorInfo("prediction", TensorProto.DataType.FLOAT, outputs));
    }

    /** Adds a node of one output, named after its operator; returns the output's name. */
    private String node(String op, Object... inputsAndAttributes) {
        String out = op.toLowerCase(java.util.Locale.ROOT) + "_" + (++names);
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(out).addOutput(out);
        for (Object o : inputsAndAttributes) {
            if (o instanceof String input) {
                n.addInput(input);
            } else {
                n.addAttribute((AttributeProto) o);
            }
        }
        graph.addNode(n);
        return out;
    }

    private static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    /** A float64 initializer of this shape (raw data is little-endian in ONNX); returns its name. */
    private String constant(String name, double[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            bytes.putDouble(v);
        }
        bytes.flip();
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.DOUBLE.getNumber())
                .addAllDims(java.util.Arrays.stream(dims).boxed().toList()).setRawData(ByteString.copyFrom(bytes)));
        return name;
    }

    /** An int64 initializer of one dimension; returns its name. */
    private String constant(String name, long[] values) {
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber())
                .addDims(values.length).addAllInt64Data(java.util.Arrays.stream(values).boxed().toList()));
        return name;
    }

    /** A tensor of [N] or [N, width] rows. */
    private ValueInfoProto tensorInfo(String name, TensorProto.DataType type, int... width) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (int w : width) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(w));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }
}
