package dev.kiln.endpoint.runner;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Any ONNX model with one numeric input, run through ONNX Runtime: Kiln's own {@code model.onnx},
 * or one exported from PyTorch, TensorFlow/Keras or scikit-learn.
 */
public final class OnnxRunner implements ModelRunner {

  private final OrtEnvironment env;
  private final OrtSession session;
  private final ModelSignature signature;
  private final OnnxJavaType inputType;
  private final long[] inputShape;
  private final boolean fixedBatchOfOne;
  private final Set<String> requestedOutputs;

  private OnnxRunner(
      OrtEnvironment env,
      OrtSession session,
      ModelSignature signature,
      OnnxJavaType inputType,
      boolean fixedBatchOfOne) {
    this.env = env;
    this.session = session;
    this.signature = signature;
    this.inputType = inputType;
    this.fixedBatchOfOne = fixedBatchOfOne;
    int[] dims = signature.inputShape();
    this.inputShape = new long[dims.length + 1];
    for (int i = 0; i < dims.length; i++) {
      inputShape[i + 1] = dims[i];
    }
    this.requestedOutputs = Set.of(signature.outputName());
  }

  /**
   * Opens an ONNX file.
   *
   * @param threads intra-op threads for ONNX Runtime; 0 keeps its default (one per core)
   */
  public static OnnxRunner open(Path file, int threads) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session = null;
    try {
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (threads > 0) {
        options.setIntraOpNumThreads(threads);
      }
      // Idle compute threads sleep instead of spinning: the HTTP event loops need those cores.
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      session = env.createSession(file.toString(), options);
      return describe(env, session, file);
    } catch (OrtException e) {
      closeQuietly(session);
      throw new ModelLoadException("ONNX Runtime cannot open " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(session);
      throw e;
    }
  }

  private static OnnxRunner describe(OrtEnvironment env, OrtSession session, Path file)
      throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    if (inputs.size() != 1) {
      throw new ModelLoadException(
          file + ": expected an ONNX model with exactly one input, found " + inputs.keySet());
    }
    NodeInfo input = inputs.values().iterator().next();
    if (!(input.getInfo() instanceof TensorInfo inInfo)) {
      throw new ModelLoadException(
          file + ": input '" + input.getName() + "' is not a tensor: " + input.getInfo());
    }
    OnnxJavaType inType = inInfo.type;
    if (inType != OnnxJavaType.FLOAT && inType != OnnxJavaType.DOUBLE) {
      throw new ModelLoadException(
          file + ": input '" + input.getName() + "' is " + inType + "; expected float or double");
    }
    long[] inShape = inInfo.getShape();
    if (inShape.length < 2) {
      throw new ModelLoadException(
          file
              + ": input '"
              + input.getName()
              + "' has shape "
              + Arrays.toString(inShape)
              + "; expected a batch dimension followed by feature dimensions, e.g. [N, 64]");
    }
    if (inShape[0] > 1) {
      throw new ModelLoadException(
          file
              + ": input '"
              + input.getName()
              + "' has a fixed batch of "
              + inShape[0]
              + "; export it with a dynamic batch dimension");
    }
    int[] rowShape = new int[inShape.length - 1];
    for (int i = 1; i < inShape.length; i++) {
      if (inShape[i] <= 0) {
        throw new ModelLoadException(
            file
                + ": input '"
                + input.getName()
                + "' has shape "
                + Arrays.toString(inShape)
                + "; only the batch dimension may be dynamic");
      }
      rowShape[i - 1] = Math.toIntExact(inShape[i]);
    }

    NodeInfo output = pickOutput(session.getOutputInfo(), file);
    long[] outShape = ((TensorInfo) output.getInfo()).getShape();
    int[] outRowShape = new int[Math.max(0, outShape.length - 1)];
    for (int i = 1; i < outShape.length; i++) {
      outRowShape[i - 1] = outShape[i] > 0 ? Math.toIntExact(outShape[i]) : -1;
    }
    Map<String, String> custom = session.getMetadata().getCustomMetadata();
    List<String> labels = parseLabels(custom.get("labels"));
    // The file's name; the server names the model after its URI (ModelLoader.nameFor).
    String name = file.getFileName().toString().replaceFirst("\\.onnx$", "");
    ModelSignature signature =
        new ModelSignature(
            name.isBlank() ? "model" : name,
            "onnxruntime",
            input.getName(),
            inType == OnnxJavaType.DOUBLE ? "FP64" : "FP32",
            rowShape,
            output.getName(),
            outRowShape,
            labels,
            output.getName().toLowerCase().contains("prob"));
    return new OnnxRunner(env, session, signature, inType, inShape[0] == 1);
  }

  /**
   * The output to serve: {@code probabilities}, else {@code output}, else the first numeric one.
   */
  private static NodeInfo pickOutput(Map<String, NodeInfo> outputs, Path file) {
    List<NodeInfo> numeric = new ArrayList<>();
    for (NodeInfo info : outputs.values()) {
      if (info.getInfo() instanceof TensorInfo t
          && (t.type == OnnxJavaType.FLOAT || t.type == OnnxJavaType.DOUBLE)) {
        numeric.add(info);
      }
    }
    for (String preferred : List.of("probabilities", "output")) {
      for (NodeInfo info : numeric) {
        if (info.getName().equals(preferred)) {
          return info;
        }
      }
    }
    if (numeric.isEmpty()) {
      throw new ModelLoadException(
          file
              + ": no float or double tensor output among "
              + outputs.keySet()
              + " (a scikit-learn classifier needs options={'zipmap': False} at export)");
    }
    return numeric.get(0);
  }

  /** Labels from the custom metadata entry {@code labels}: a JSON array of strings or CSV. */
  static List<String> parseLabels(String raw) {
    if (raw == null || raw.isBlank()) {
      return List.of();
    }
    String s = raw.strip();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    List<String> labels = new ArrayList<>();
    for (String part : s.split(",", -1)) {
      String p = part.strip();
      if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
        p = p.substring(1, p.length() - 1);
      }
      labels.add(p);
    }
    return labels;
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  @Override
  public float[] run(float[] batch, int rows) {
    int width = signature.inputWidth();
    if (!fixedBatchOfOne || rows == 1) {
      return runOnce(batch, 0, rows, width);
    }
    // The model was exported with a batch of exactly one: run the rows one at a time.
    float[] out = null;
    int outWidth = 0;
    for (int r = 0; r < rows; r++) {
      float[] one = runOnce(batch, r * width, 1, width);
      if (out == null) {
        outWidth = one.length;
        out = new float[rows * outWidth];
      }
      System.arraycopy(one, 0, out, r * outWidth, outWidth);
    }
    return out;
  }

  private float[] runOnce(float[] batch, int offset, int rows, int width) {
    long[] shape = inputShape.clone();
    shape[0] = rows;
    try (OnnxTensor tensor = createInput(batch, offset, rows * width, shape);
        OrtSession.Result result =
            session.run(Map.of(signature.inputName(), tensor), requestedOutputs)) {
      OnnxValue value = result.get(0);
      OnnxTensor out = (OnnxTensor) value;
      if (out.getInfo().type == OnnxJavaType.DOUBLE) {
        DoubleBuffer db = out.getDoubleBuffer();
        float[] f = new float[db.remaining()];
        for (int i = 0; i < f.length; i++) {
          f[i] = (float) db.get(i);
        }
        return f;
      }
      FloatBuffer fb = out.getFloatBuffer();
      float[] f = new float[fb.remaining()];
      fb.get(f);
      return f;
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
    }
  }

  private OnnxTensor createInput(float[] batch, int offset, int length, long[] shape)
      throws OrtException {
    if (inputType == OnnxJavaType.DOUBLE) {
      double[] d = new double[length];
      for (int i = 0; i < length; i++) {
        d[i] = batch[offset + i];
      }
      return OnnxTensor.createTensor(env, DoubleBuffer.wrap(d), shape);
    }
    return OnnxTensor.createTensor(env, FloatBuffer.wrap(batch, offset, length), shape);
  }

  @Override
  public void close() {
    closeQuietly(session);
  }

  private static void closeQuietly(OrtSession session) {
    if (session != null) {
      try {
        session.close();
      } catch (OrtException e) {
        // Closing a session only frees native memory; nothing to recover.
      }
    }
  }
}
