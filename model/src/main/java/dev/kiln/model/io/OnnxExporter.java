package dev.kiln.model.io;

import dev.kiln.model.Activation;
import dev.kiln.model.LayerSpec;
import dev.kiln.model.ModelConfig;
import dev.kiln.model.ParameterLayout;
import dev.kiln.model.Standardizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a Kiln model as ONNX (IR version 8, opset 13) with the wire format encoded by hand: input
 * {@code input} FP32 [N, F]; preprocessing in the graph (Sub mean, Div std); a Gemm per dense layer
 * with Relu / Tanh / Sigmoid / Softmax after it; dropout left out; output {@code probabilities} [N,
 * C] for classifiers, {@code output} for regression.
 */
public final class OnnxExporter {
  static final long IR_VERSION = 8;
  static final long OPSET = 13;

  // onnx.proto field numbers and enums
  private static final int FLOAT = 1;
  private static final int ATTR_INT = 2;

  private OnnxExporter() {}

  /** Writes {@code model.onnx} bytes for the artifact to {@code file}. */
  public static void write(ModelArtifact artifact, Path file) throws IOException {
    Files.write(file, encode(artifact));
  }

  /** The ONNX model bytes for an artifact. */
  public static byte[] encode(ModelArtifact artifact) {
    ModelConfig config = artifact.config();
    int features = artifact.inputWidth();
    String outputName = artifact.outputName();
    ParameterLayout layout = new ParameterLayout(config, features);
    Standardizer st = artifact.standardizer();
    ProtoWriter graph = new ProtoWriter();
    graph.string(2, "kiln");
    graph.message(5, tensor("preprocess.mean", new long[] {features}, st.mean()));
    graph.message(5, tensor("preprocess.std", new long[] {features}, st.std()));
    graph.message(1, node("Sub", "preprocess.sub", "centered", "input", "preprocess.mean"));
    graph.message(1, node("Div", "preprocess.div", "standardized", "centered", "preprocess.std"));
    String current = "standardized";
    float[] params = artifact.parameters();
    int lastLayer = config.layers().size() - 1;
    for (int l = 0; l <= lastLayer; l++) {
      if (!(config.layers().get(l) instanceof LayerSpec.Dense d)) {
        continue; // dropout is the identity at inference
      }
      ParameterLayout.Tensor w = layout.weight(l);
      ParameterLayout.Tensor b = layout.bias(l);
      String prefix = "layers." + l;
      graph.message(
          5,
          tensor(w.name(), new long[] {w.rows(), w.cols()}, slice(params, w.offset(), w.length())));
      graph.message(
          5, tensor(b.name(), new long[] {b.cols()}, slice(params, b.offset(), b.length())));
      boolean linear = d.activation() == Activation.LINEAR;
      String gemmOut = l == lastLayer && linear ? outputName : prefix + ".gemm";
      graph.message(1, node("Gemm", prefix + ".gemm", gemmOut, current, w.name(), b.name()));
      current = gemmOut;
      if (!linear) {
        String out = l == lastLayer ? outputName : prefix + "." + d.activation().specName();
        graph.message(1, activation(d.activation(), prefix, current, out));
        current = out;
      }
    }
    graph.message(11, valueInfo("input", features));
    graph.message(12, valueInfo(outputName, config.outputWidth()));
    ProtoWriter model = new ProtoWriter();
    model.varint(1, IR_VERSION);
    model.string(2, "kiln");
    model.string(3, "1");
    model.message(7, graph);
    model.message(8, new ProtoWriter().string(1, "").varint(2, OPSET));
    return model.toByteArray();
  }

  private static ProtoWriter activation(Activation a, String prefix, String in, String out) {
    switch (a) {
      case RELU:
        return node("Relu", prefix + ".relu", out, in);
      case TANH:
        return node("Tanh", prefix + ".tanh", out, in);
      case SIGMOID:
        return node("Sigmoid", prefix + ".sigmoid", out, in);
      case SOFTMAX:
        return node("Softmax", prefix + ".softmax", out, in)
            .message(5, new ProtoWriter().string(1, "axis").varint(3, 1).varint(20, ATTR_INT));
      default:
        throw new IllegalArgumentException("no ONNX node for " + a);
    }
  }

  private static ProtoWriter node(String op, String name, String output, String... inputs) {
    ProtoWriter n = new ProtoWriter();
    for (String i : inputs) {
      n.string(1, i);
    }
    n.string(2, output);
    n.string(3, name);
    n.string(4, op);
    return n;
  }

  private static ProtoWriter tensor(String name, long[] dims, float[] values) {
    ProtoWriter t = new ProtoWriter();
    for (long d : dims) {
      t.varint(1, d);
    }
    t.varint(2, FLOAT);
    t.string(8, name);
    ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    t.bytes(9, raw.array());
    return t;
  }

  /** A FLOAT tensor of shape [N, width] with a symbolic batch dimension. */
  private static ProtoWriter valueInfo(String name, int width) {
    ProtoWriter shape =
        new ProtoWriter()
            .message(1, new ProtoWriter().string(2, "N"))
            .message(1, new ProtoWriter().varint(1, width));
    ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape);
    ProtoWriter type = new ProtoWriter().message(1, tensorType);
    return new ProtoWriter().string(1, name).message(2, type);
  }

  private static float[] slice(float[] a, int from, int length) {
    return java.util.Arrays.copyOfRange(a, from, from + length);
  }
}
