package dev.kiln.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The {@code algorithm} spec of a TrainingJob as plain values: the layers of a sequential model,
 * the loss, optimizer, learning-rate schedule, epochs, per-rank batch size and seed. The input
 * width comes from the data; the output width is the last dense layer's units. Construction
 * validates everything and says which field is wrong.
 */
public record ModelConfig(
    List<LayerSpec> layers,
    LossFunction loss,
    OptimizerConfig optimizer,
    ScheduleConfig schedule,
    int epochs,
    int batchSize,
    long seed,
    boolean deterministic) {

  /** Validates the combination of fields. */
  public ModelConfig {
    if (layers == null || layers.isEmpty()) {
      throw new ModelConfigException("model.layers must list at least one dense layer");
    }
    layers = List.copyOf(layers);
    if (!(layers.get(layers.size() - 1) instanceof LayerSpec.Dense)) {
      throw new ModelConfigException("model.layers: the last layer must be dense, not dropout");
    }
    if (loss == null || optimizer == null || schedule == null) {
      throw new ModelConfigException("loss, optimizer and schedule must be set");
    }
    if (epochs < 1) {
      throw new ModelConfigException("epochs must be at least 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw new ModelConfigException("batchSize must be at least 1, got " + batchSize);
    }
    LayerSpec.Dense out = (LayerSpec.Dense) layers.get(layers.size() - 1);
    checkOutput(loss, out);
  }

  private static void checkOutput(LossFunction loss, LayerSpec.Dense out) {
    if (loss == LossFunction.CROSS_ENTROPY && out.activation() != Activation.SOFTMAX) {
      throw new ModelConfigException(
          "loss cross_entropy needs a softmax output layer, the last layer uses "
              + out.activation().specName());
    }
    if (loss == LossFunction.CROSS_ENTROPY && out.units() < 2) {
      throw new ModelConfigException(
          "loss cross_entropy needs at least 2 output units (classes), got " + out.units());
    }
    if (loss == LossFunction.BINARY_CROSS_ENTROPY && out.activation() != Activation.SIGMOID) {
      throw new ModelConfigException(
          "loss binary_cross_entropy needs a sigmoid output layer, the last layer uses "
              + out.activation().specName());
    }
  }

  /** The last (output) layer. */
  public LayerSpec.Dense outputLayer() {
    return (LayerSpec.Dense) layers.get(layers.size() - 1);
  }

  /** Outputs per sample: classes for cross entropy, targets otherwise. */
  public int outputWidth() {
    return outputLayer().units();
  }

  /** Parses the {@code algorithm} object of a spec (JSON). */
  public static ModelConfig parse(String json) {
    return ConfigJson.parse(ConfigJson.readTree(json));
  }

  /** Parses the {@code algorithm} object of a spec. */
  public static ModelConfig fromJson(JsonNode algorithm) {
    return ConfigJson.parse(algorithm);
  }

  /** Parses the {@code algorithm} object of a spec given as maps and lists (e.g. from YAML). */
  public static ModelConfig fromMap(Map<String, ?> algorithm) {
    return ConfigJson.parse(ConfigJson.MAPPER.valueToTree(algorithm));
  }

  /** The {@code algorithm} object for this configuration, with every default made explicit. */
  public ObjectNode toJson() {
    return ConfigJson.write(this);
  }

  /**
   * Applies {@code hyperparameters}: dotted paths into {@code algorithm} ({@code
   * optimizer.learningRate}, {@code model.layers.0.dense}) with string values, as TuningJobs pass
   * them. An unknown path is an error.
   */
  public ModelConfig withHyperparameters(Map<String, String> hyperparameters) {
    ObjectNode tree = toJson();
    ConfigJson.applyOverrides(tree, hyperparameters);
    return ConfigJson.parse(tree);
  }

  /** A config for the benchmark's and tests' MLP: dense relu hidden layers, softmax output. */
  public static ModelConfig mlp(
      int[] hidden, int classes, OptimizerConfig optimizer, int batchSize, long seed) {
    List<LayerSpec> layers = new java.util.ArrayList<>();
    for (int h : hidden) {
      layers.add(new LayerSpec.Dense(h, Activation.RELU));
    }
    layers.add(new LayerSpec.Dense(classes, Activation.SOFTMAX));
    return new ModelConfig(
        layers,
        LossFunction.CROSS_ENTROPY,
        optimizer,
        ScheduleConfig.constant(),
        1,
        batchSize,
        seed,
        true);
  }
}
