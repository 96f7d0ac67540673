package dev.kiln.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.model.ModelConfig;
import dev.kiln.model.ModelConfigException;
import dev.kiln.worker.data.ChannelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a rank needs from the TrainingJob spec ({@code KILN_SPEC_FILE}: the spec as JSON, or the
 * whole manifest): the algorithm with its hyperparameters applied, the channels, the output, the
 * checkpoint interval and the per-rank CPU request.
 *
 * @param algorithm the model configuration; hyperparameters (dotted paths) already applied
 * @param hyperparameters the spec's hyperparameters, as given
 * @param train the training channel
 * @param validation the validation channel, or null
 * @param outputUri {@code spec.output.uri}
 * @param checkpointEveryEpochs {@code spec.checkpoint.everyEpochs} (default 1)
 * @param cpus threads per rank from {@code resources.cpu} (rounded up), or 0 when unset
 * @param gpus {@code resources.gpu}
 */
public record JobSpec(
    ModelConfig algorithm,
    Map<String, String> hyperparameters,
    ChannelSpec train,
    ChannelSpec validation,
    String outputUri,
    int checkpointEveryEpochs,
    int cpus,
    int gpus) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads and checks the spec file. */
  public static JobSpec read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /** Parses spec JSON; every problem is a {@link SpecException} naming the field. */
  public static JobSpec parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new SpecException("the spec is not valid JSON: " + e.getMessage());
    }
    JsonNode spec = root.has("spec") && root.has("kind") ? root.get("spec") : root;
    if (spec.hasNonNull("container")) {
      throw new SpecException(
          "spec.container is set: this job runs its own image, not Kiln's trainer");
    }
    JsonNode algorithm = spec.path("algorithm");
    if (!algorithm.isObject()) {
      throw new SpecException("spec.algorithm must be set for Kiln's built-in trainer");
    }
    Map<String, String> hp = new LinkedHashMap<>();
    JsonNode hpNode = spec.path("hyperparameters");
    for (Iterator<Map.Entry<String, JsonNode>> it = hpNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      hp.put(
          e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
    }
    ModelConfig config;
    try {
      // The control plane merges hyperparameters already; applying them again is idempotent and
      // rejects unknown keys here too.
      config = ModelConfig.fromJson(algorithm).withHyperparameters(hp);
    } catch (ModelConfigException e) {
      throw new SpecException("spec.algorithm: " + e.getMessage());
    }
    JsonNode inputs = spec.path("inputs");
    if (!inputs.path("train").isObject()) {
      throw new SpecException("spec.inputs.train must be set for Kiln's built-in trainer");
    }
    ChannelSpec train = channel("train", inputs.get("train"));
    ChannelSpec validation =
        inputs.path("validation").isObject()
            ? channel("validation", inputs.get("validation"))
            : null;
    String output = spec.path("output").path("uri").asText("");
    if (output.isBlank()) {
      throw new SpecException("spec.output.uri must be set");
    }
    int every = spec.path("checkpoint").path("everyEpochs").asInt(1);
    if (every < 1) {
      throw new SpecException("spec.checkpoint.everyEpochs must be at least 1, got " + every);
    }
    JsonNode resources = spec.path("resources");
    return new JobSpec(
        config,
        Map.copyOf(hp),
        train,
        validation,
        output,
        every,
        cpus(resources.path("cpu").asText("")),
        resources.path("gpu").asInt(0));
  }

  private static ChannelSpec channel(String name, JsonNode c) {
    return new ChannelSpec(
        name,
        c.path("uri").asText(null),
        c.path("format").asText(null),
        c.path("label").asText(null));
  }

  /** Kubernetes CPU quantity ("2", "1.5", "500m") to whole threads, rounded up; 0 if unset. */
  static int cpus(String quantity) {
    String q = quantity.trim();
    if (q.isEmpty()) {
      return 0;
    }
    try {
      double cores =
          q.endsWith("m")
              ? Double.parseDouble(q.substring(0, q.length() - 1)) / 1000
              : Double.parseDouble(q);
      return Math.max(1, (int) Math.ceil(cores - 1e-9));
    } catch (NumberFormatException e) {
      throw new SpecException("spec.resources.cpu '" + quantity + "' is not a CPU quantity");
    }
  }

  /** A spec problem the user must fix; retrying will not help. */
  public static final class SpecException extends RuntimeException {
    public SpecException(String message) {
      super(message);
    }
  }
}
