package dev.kiln.model.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.model.ModelConfig;
import dev.kiln.model.Network;
import dev.kiln.model.Predictor;
import dev.kiln.model.Standardizer;
import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.cpu.CpuBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArtifactTest {
  static final String ALGORITHM =
      """
      {"model": {"layers": [{"dense": 16, "activation": "relu"}, {"dropout": 0.2},
                            {"dense": 8, "activation": "tanh"},
                            {"dense": 3, "activation": "softmax"}]},
       "loss": "cross_entropy", "optimizer": {"type": "sgd", "learningRate": 0.1},
       "epochs": 2, "batchSize": 8, "seed": 3}
      """;

  static ModelArtifact artifact(ComputeBackend cpu, String algorithm, int features) {
    ModelConfig config = ModelConfig.parse(algorithm);
    SplittableRandom r = new SplittableRandom(1);
    float[] raw = new float[50 * features];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (float) (r.nextDouble() * 10 + (i % features));
    }
    Standardizer st = Standardizer.fit(raw, 50, features);
    try (Network net = Network.create(config, features, cpu)) {
      for (int i = 0; i < net.parameters().length; i++) {
        net.parameters()[i] += (float) r.nextDouble(-0.1, 0.1); // non-zero biases too
      }
      List<String> labels =
          config.loss().isClassification() && config.outputWidth() == 3
              ? List.of("cat", "dog", "fish")
              : List.of();
      return ModelArtifact.of(
          net,
          st,
          labels,
          Map.of("metrics", Map.of("val_accuracy", 0.9), "dataDigest", "sha256:abc"));
    }
  }

  @Test
  void writesAndLoadsAllThreeFiles(@TempDir Path dir) throws Exception {
    try (ComputeBackend cpu = new CpuBackend(2)) {
      ModelArtifact a = artifact(cpu, ALGORITHM, 6);
      a.write(dir);
      assertThat(dir.resolve("model.json")).exists();
      assertThat(dir.resolve("weights.safetensors")).exists();
      assertThat(dir.resolve("model.onnx")).exists();
      ModelArtifact b = ModelArtifact.load(dir);
      assertThat(b.config()).isEqualTo(a.config());
      assertThat(b.parameters()).isEqualTo(a.parameters());
      assertThat(b.standardizer().mean()).isEqualTo(a.standardizer().mean());
      assertThat(b.standardizer().std()).isEqualTo(a.standardizer().std());
      assertThat(b.labels()).containsExactly("cat", "dog", "fish");
      assertThat(b.metadata()).containsEntry("dataDigest", "sha256:abc");
      assertThat(b.metadata().get("metrics")).isEqualTo(Map.of("val_accuracy", 0.9));

      float[] x = new float[4 * 6];
      for (int i = 0; i < x.length; i++) {
        x[i] = i % 7;
      }
      try (Predictor p = a.predictor(cpu);
          Predictor q = b.predictor(cpu)) {
        float[] out = p.predict(x, 4);
        assertThat(q.predict(x, 4)).isEqualTo(out);
        for (int r = 0; r < 4; r++) {
          assertThat(out[r * 3] + out[r * 3 + 1] + out[r * 3 + 2])
              .isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
    }
  }

  @Test
  void weightsFileHasAFixedHeaderOrderSoEqualWeightsGiveEqualBytes(@TempDir Path dir)
      throws Exception {
    try (ComputeBackend cpu = new CpuBackend(1)) {
      artifact(cpu, ALGORITHM, 6).write(dir);
    }
    String head = new String(Files.readAllBytes(dir.resolve(ModelArtifact.WEIGHTS)), 8, 80, UTF_8);
    assertThat(head).startsWith("{\"__metadata__\":{\"format\":\"pt\",\"producer\":\"kiln\"}");
  }

  @Test
  void modelJsonDescribesArchitectureAndPreprocessing(@TempDir Path dir) throws Exception {
    try (ComputeBackend cpu = new CpuBackend(1)) {
      artifact(cpu, ALGORITHM, 6).write(dir);
    }
    JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("model.json")));
    assertThat(json.at("/architecture/inputWidth").asInt()).isEqualTo(6);
    assertThat(json.at("/architecture/outputWidth").asInt()).isEqualTo(3);
    assertThat(json.at("/architecture/layers/0/dense").asInt()).isEqualTo(16);
    assertThat(json.at("/architecture/output").asText()).isEqualTo("probabilities");
    assertThat(json.at("/preprocessing/mean").size()).isEqualTo(6);
    assertThat(json.at("/algorithm/optimizer/type").asText()).isEqualTo("sgd");
    assertThat(json.at("/metrics/val_accuracy").asDouble()).isEqualTo(0.9);
  }

  @Test
  void safetensorsWeightsAreOutByInLikeTorchLinear(@TempDir Path dir) throws Exception {
    try (ComputeBackend cpu = new CpuBackend(1)) {
      ModelArtifact a = artifact(cpu, ALGORITHM, 6);
      a.write(dir);
      SafeTensors.Contents c = SafeTensors.read(dir.resolve("weights.safetensors"));
      assertThat(c.tensors().get("layers.0.weight").shape()).containsExactly(16, 6);
      assertThat(c.tensors().get("layers.2.weight").shape()).containsExactly(8, 16);
      assertThat(c.tensors().get("layers.3.bias").shape()).containsExactly(3);
      // internal [in, out]: element (in=1, out=2) of layer 0 is at 1*16+2
      assertThat(c.tensors().get("layers.0.weight").data()[2 * 6 + 1])
          .isEqualTo(a.parameters()[16 + 2]);
    }
  }
}
