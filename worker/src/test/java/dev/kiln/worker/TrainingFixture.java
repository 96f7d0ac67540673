package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.io.SafeTensors;
import dev.kiln.worker.data.ObjectStores;
import dev.kiln.worker.testing.S3Server;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Test fixture for training runs: an S3 server with digits (320 training rows, 80 validation rows,
 * from the first 400 of UCI digits) and spec files for small MLPs.
 */
final class TrainingFixture implements AutoCloseable {
  final Path dir;
  final S3Server s3;
  final ObjectStores store;

  TrainingFixture(Path dir) throws Exception {
    this.dir = dir;
    this.s3 = S3Server.start(Files.createDirectories(dir.resolve("s3")));
    s3.createBucket("datasets");
    s3.createBucket("models");
    store = ObjectStores.fromEnv(s3.env());
    String csv;
    try (InputStream in = getClass().getResourceAsStream("/data/digits-400.csv")) {
      csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String[] lines = csv.split("\n");
    StringBuilder train = new StringBuilder(lines[0]).append('\n');
    StringBuilder val = new StringBuilder(lines[0]).append('\n');
    for (int i = 1; i < lines.length; i++) {
      (i <= 320 ? train : val).append(lines[i]).append('\n');
    }
    store.write(
        "s3://datasets/digits/train.csv", train.toString().getBytes(StandardCharsets.UTF_8));
    store.write(
        "s3://datasets/digits/validation.csv", val.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A spec file for a 64-32-10 MLP with dropout; {@code optimizer} is JSON. */
  Path spec(String name, String output, int epochs, int batch, String optimizer) throws Exception {
    String json =
        """
        {"workers": 2,
         "algorithm": {
           "model": {"layers": [{"dense": 32, "activation": "relu"}, {"dropout": 0.1},
                                {"dense": 10, "activation": "softmax"}]},
           "loss": "cross_entropy", "optimizer": %s, "schedule": {"type": "cosine"},
           "epochs": %d, "batchSize": %d, "seed": 7, "deterministic": true},
         "inputs": {"train": {"uri": "s3://datasets/digits/train.csv", "format": "csv", "label": "label"},
                    "validation": {"uri": "s3://datasets/digits/validation.csv"}},
         "output": {"uri": "%s"},
         "checkpoint": {"everyEpochs": 1}}
        """
            .formatted(optimizer, epochs, batch, output);
    Path p = dir.resolve(name + ".json");
    Files.writeString(p, json);
    return p;
  }

  Map<String, String> env(Map<String, String> more) {
    return dev.kiln.worker.testing.Ranks.env(s3, more);
  }

  /** The published weights of a run. */
  byte[] weights(String output) throws Exception {
    return store.read(output + "model/weights.safetensors");
  }

  static Map<String, SafeTensors.Tensor> tensors(byte[] safetensors) {
    return SafeTensors.decode(safetensors).tensors();
  }

  static void assertSucceeded(int[] codes, String logs) {
    for (int c : codes) {
      assertThat(c).as(logs).isZero();
    }
  }

  @Override
  public void close() throws Exception {
    s3.close();
  }
}
