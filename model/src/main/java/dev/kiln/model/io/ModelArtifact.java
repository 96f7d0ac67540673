package dev.kiln.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.ModelConfig;
import dev.kiln.model.Network;
import dev.kiln.model.ParameterLayout;
import dev.kiln.model.Predictor;
import dev.kiln.model.Standardizer;
import dev.kiln.model.compute.ComputeBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trained model as Kiln stores it in {@code <output>/model/}: {@code model.json} (architecture,
 * preprocessing, labels, the full {@code algorithm}, and whatever the trainer adds: metrics,
 * hyperparameters, data digest, job), {@code weights.safetensors} ({@code layers.<i>.weight} as
 * {@code [out, in]} like PyTorch's {@code nn.Linear}, {@code layers.<i>.bias}) and {@code
 * model.onnx}.
 */
public record ModelArtifact(
    ModelConfig config,
    int inputWidth,
    float[] parameters,
    Standardizer standardizer,
    List<String> labels,
    Map<String, Object> metadata) {

  public static final String MODEL_JSON = "model.json";
  public static final String WEIGHTS = "weights.safetensors";
  public static final String ONNX = "model.onnx";
  static final String FORMAT = "kiln.model/v1";
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Set<String> RESERVED =
      Set.of("format", "architecture", "preprocessing", "labels", "algorithm", "weights", "onnx");

  /** Checks the parts fit together. */
  public ModelArtifact {
    int expected = new ParameterLayout(config, inputWidth).size();
    if (parameters.length != expected) {
      throw new IllegalArgumentException(
          "expected " + expected + " parameters, got " + parameters.length);
    }
    if (standardizer.features() != inputWidth) {
      throw new IllegalArgumentException(
          "standardizer has " + standardizer.features() + " features, input width " + inputWidth);
    }
    if (!labels.isEmpty() && labels.size() != config.outputWidth()) {
      throw new IllegalArgumentException(
          labels.size() + " label names for " + config.outputWidth() + " outputs");
    }
    for (String k : metadata.keySet()) {
      if (RESERVED.contains(k)) {
        throw new IllegalArgumentException("metadata key '" + k + "' is reserved in model.json");
      }
    }
    labels = List.copyOf(labels);
    metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** Captures a trained network (copies its parameters). */
  public static ModelArtifact of(
      Network network,
      Standardizer standardizer,
      List<String> labels,
      Map<String, Object> metadata) {
    network.syncParametersToHost();
    return new ModelArtifact(
        network.config(),
        network.inputWidth(),
        network.parameters().clone(),
        standardizer,
        labels,
        metadata);
  }

  /** {@code probabilities} for classifiers, {@code output} for regression. */
  public String outputName() {
    return config.loss().isClassification() ? "probabilities" : "output";
  }

  /** A network with these weights on {@code backend}. */
  public Network network(ComputeBackend backend) {
    return Network.withParameters(config, inputWidth, backend, parameters);
  }

  /** A predictor (standardization, forward pass, softmax) on {@code backend}. */
  public Predictor predictor(ComputeBackend backend) {
    return new Predictor(network(backend), standardizer, labels);
  }

  /** Writes the three files into {@code dir} (created if missing), each via a rename. */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    writeAtomically(dir.resolve(WEIGHTS), SafeTensors.encode(weightTensors(), weightMetadata()));
    writeAtomically(dir.resolve(ONNX), OnnxExporter.encode(this));
    writeAtomically(dir.resolve(MODEL_JSON), MAPPER.writeValueAsBytes(modelJson()));
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The weights as safetensors tensors: weights transposed to {@code [out, in]}. */
  public Map<String, SafeTensors.Tensor> weightTensors() {
    Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
    for (ParameterLayout.Tensor p : new ParameterLayout(config, inputWidth).tensors()) {
      if (p.isWeight()) {
        float[] transposed = new float[p.length()];
        for (int i = 0; i < p.rows(); i++) {
          for (int o = 0; o < p.cols(); o++) {
            transposed[o * p.rows() + i] = parameters[p.offset() + i * p.cols() + o];
          }
        }
        t.put(p.name(), new SafeTensors.Tensor(new long[] {p.cols(), p.rows()}, transposed));
      } else {
        float[] bias =
            java.util.Arrays.copyOfRange(parameters, p.offset(), p.offset() + p.length());
        t.put(p.name(), new SafeTensors.Tensor(new long[] {p.cols()}, bias));
      }
    }
    return t;
  }

  /** In a fixed order: the same weights always give the same file bytes. */
  private static Map<String, String> weightMetadata() {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt");
    metadata.put("producer", "kiln");
    return metadata;
  }

  private ObjectNode modelJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    ObjectNode arch = root.putObject("architecture");
    arch.put("type", "sequential");
    arch.put("inputWidth", inputWidth);
    arch.put("outputWidth", config.outputWidth());
    arch.set("layers", config.toJson().path("model").path("layers"));
    arch.put("loss", config.loss().specName());
    arch.put("task", config.loss().isClassification() ? "classification" : "regression");
    arch.put("output", outputName());
    ObjectNode pre = root.putObject("preprocessing");
    pre.put("type", "standardize");
    ArrayNode mean = pre.putArray("mean");
    for (float v : standardizer.mean()) {
      mean.add(v);
    }
    ArrayNode std = pre.putArray("std");
    for (float v : standardizer.std()) {
      std.add(v);
    }
    ArrayNode names = root.putArray("labels");
    labels.forEach(names::add);
    root.set("algorithm", config.toJson());
    ObjectNode w = root.putObject("weights");
    w.put("file", WEIGHTS);
    w.put("parameters", parameters.length);
    w.put("layout", "layers.<i>.weight is [out, in] as torch.nn.Linear; layers.<i>.bias is [out]");
    root.put("onnx", ONNX);
    for (Map.Entry<String, Object> e : metadata.entrySet()) {
      root.set(e.getKey(), MAPPER.valueToTree(e.getValue()));
    }
    return root;
  }

  /** Reads an artifact written by {@link #write}. */
  public static ModelArtifact load(Path dir) throws IOException {
    JsonNode root = MAPPER.readTree(dir.resolve(MODEL_JSON).toFile());
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new IOException(
          dir.resolve(MODEL_JSON) + " is not a Kiln model (format " + root.path("format") + ")");
    }
    ModelConfig config = ModelConfig.fromJson(root.path("algorithm"));
    int inputWidth = root.path("architecture").path("inputWidth").asInt();
    Standardizer st =
        new Standardizer(
            floats(root.path("preprocessing").path("mean")),
            floats(root.path("preprocessing").path("std")));
    List<String> labels = new ArrayList<>();
    root.path("labels").forEach(n -> labels.add(n.asText()));
    Map<String, Object> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!RESERVED.contains(e.getKey())) {
        metadata.put(e.getKey(), MAPPER.treeToValue(e.getValue(), Object.class));
      }
    }
    SafeTensors.Contents weights = SafeTensors.read(dir.resolve(WEIGHTS));
    float[] params = parameters(config, inputWidth, weights);
    return new ModelArtifact(config, inputWidth, params, st, labels, metadata);
  }

  private static float[] parameters(ModelConfig config, int inputWidth, SafeTensors.Contents c)
      throws IOException {
    ParameterLayout layout = new ParameterLayout(config, inputWidth);
    float[] params = new float[layout.size()];
    for (ParameterLayout.Tensor p : layout.tensors()) {
      SafeTensors.Tensor t = c.tensors().get(p.name());
      long[] want = p.isWeight() ? new long[] {p.cols(), p.rows()} : new long[] {p.cols()};
      if (t == null || !java.util.Arrays.equals(t.shape(), want)) {
        throw new IOException(
            "weights.safetensors: tensor "
                + p.name()
                + " should have shape "
                + java.util.Arrays.toString(want)
                + (t == null
                    ? " but is missing"
                    : " but has " + java.util.Arrays.toString(t.shape())));
      }
      if (p.isWeight()) {
        for (int i = 0; i < p.rows(); i++) {
          for (int o = 0; o < p.cols(); o++) {
            params[p.offset() + i * p.cols() + o] = t.data()[o * p.rows() + i];
          }
        }
      } else {
        System.arraycopy(t.data(), 0, params, p.offset(), p.length());
      }
    }
    if (c.tensors().size() != layout.tensors().size()) {
      throw new IOException("weights.safetensors has tensors the architecture does not use");
    }
    return params;
  }

  private static float[] floats(JsonNode array) {
    float[] f = new float[array.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) array.get(i).asDouble();
    }
    return f;
  }
}
