package dev.kiln.endpoint.bench;

import dev.kiln.model.ModelConfig;
import dev.kiln.model.Network;
import dev.kiln.model.OptimizerConfig;
import dev.kiln.model.Standardizer;
import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.ComputeBackends;
import dev.kiln.model.io.ModelArtifact;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded MLP classifiers written as Kiln artifacts, for the benchmark and tests. */
public final class BenchModel {

  /** The benchmark's default: 784-512-256-10, relu, softmax. */
  public static final int[] DEFAULT_HIDDEN = {512, 256};

  public static final int DEFAULT_INPUTS = 784;
  public static final int DEFAULT_CLASSES = 10;

  private BenchModel() {}

  /**
   * Writes {@code model.json}, {@code weights.safetensors} and {@code model.onnx} for an MLP with
   * seeded weights and a seeded, non-trivial standardizer (so preprocessing is part of the cost).
   */
  public static Path write(Path dir, int inputs, int[] hidden, int classes, long seed)
      throws IOException {
    ModelConfig config =
        ModelConfig.mlp(hidden, classes, OptimizerConfig.sgd(0.01f, 0.9f), 128, seed);
    SplittableRandom random = new SplittableRandom(seed);
    float[] mean = new float[inputs];
    float[] std = new float[inputs];
    for (int i = 0; i < inputs; i++) {
      mean[i] = (float) random.nextDouble(0, 1);
      std[i] = (float) random.nextDouble(0.1, 1);
    }
    List<String> labels = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      labels.add(Integer.toString(c));
    }
    try (ComputeBackend backend = ComputeBackends.create("cpu", 1);
        Network network = Network.create(config, inputs, backend)) {
      ModelArtifact.of(network, new Standardizer(mean, std), labels, Map.of()).write(dir);
    }
    return dir;
  }

  /** The default benchmark model. */
  public static Path writeDefault(Path dir) throws IOException {
    return write(dir, DEFAULT_INPUTS, DEFAULT_HIDDEN, DEFAULT_CLASSES, 42);
  }

  /** Seeded input rows in [0, 1), rounded to 4 decimals like scaled pixel values. */
  public static float[] rows(int rows, int width, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[rows * width];
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.round(random.nextDouble() * 10_000) / 10_000f;
    }
    return x;
  }
}
