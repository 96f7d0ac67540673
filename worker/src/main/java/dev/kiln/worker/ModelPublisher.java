package dev.kiln.worker;

import dev.kiln.model.LossFunction;
import dev.kiln.model.Network;
import dev.kiln.model.Standardizer;
import dev.kiln.model.io.ModelArtifact;
import dev.kiln.worker.data.Dataset;
import dev.kiln.worker.data.LabelEncoding;
import dev.kiln.worker.data.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes the trained model to {@code <output>/model/} with the model module's writers ({@code
 * weights.safetensors}, {@code model.onnx}, then {@code model.json} last: a reader that finds
 * model.json finds the rest).
 */
final class ModelPublisher {
  private ModelPublisher() {}

  /** The artifact for a trained network, with provenance in model.json. */
  static ModelArtifact artifact(
      Network net, Standardizer st, Dataset train, Map<String, Object> metadata) {
    net.syncParametersToHost(); // a device backend's host mirror may be stale; free on the CPU
    return ModelArtifact.of(net, st, labels(net, train.encoding()), metadata);
  }

  /** Class names by output unit; empty when outputs are not classes (mse, one sigmoid). */
  static List<String> labels(Network net, LabelEncoding enc) {
    int outputs = net.outputWidth();
    if (net.config().loss() != LossFunction.CROSS_ENTROPY) {
      return List.of();
    }
    List<String> names = new ArrayList<>(enc.classNames());
    for (int i = names.size(); i < outputs; i++) {
      names.add("unused_" + i); // more units than the training data has classes
    }
    return names.subList(0, outputs);
  }

  /** Writes {@code artifact} under {@code outputUri}/model/ and returns that URI. */
  static String publish(ObjectStore store, String outputUri, ModelArtifact artifact)
      throws IOException {
    Path dir = Files.createTempDirectory("kiln-model-");
    try {
      artifact.write(dir);
      String target = ObjectStore.join(outputUri, "model/");
      for (String f :
          List.of(ModelArtifact.WEIGHTS, ModelArtifact.ONNX, ModelArtifact.MODEL_JSON)) {
        store.write(target + f, Files.readAllBytes(dir.resolve(f)));
      }
      return target;
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
