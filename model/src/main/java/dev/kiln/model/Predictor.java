package dev.kiln.model;

import java.util.List;

/**
 * Inference for a trained model: standardizes the inputs, runs the forward pass (no dropout) and
 * returns probabilities (softmax / sigmoid outputs) or values (regression). Thread-safe: calls
 * share only read-only weights.
 */
public final class Predictor implements AutoCloseable {
  private final Network network;
  private final Standardizer standardizer;
  private final List<String> labels;

  /** Wraps a network with its preprocessing and label names (may be empty). */
  public Predictor(Network network, Standardizer standardizer, List<String> labels) {
    if (standardizer.features() != network.inputWidth()) {
      throw new IllegalArgumentException(
          "standardizer has "
              + standardizer.features()
              + " features, the network takes "
              + network.inputWidth());
    }
    this.network = network;
    this.standardizer = standardizer;
    this.labels = List.copyOf(labels);
  }

  public int inputWidth() {
    return network.inputWidth();
  }

  public int outputWidth() {
    return network.outputWidth();
  }

  /** Class names by output index (empty when the model has none, e.g. regression). */
  public List<String> labels() {
    return labels;
  }

  /** True when the outputs are probabilities (cross entropy or binary cross entropy). */
  public boolean isClassification() {
    return network.config().loss().isClassification();
  }

  /** The ONNX output name for these outputs: {@code probabilities} or {@code output}. */
  public String outputName() {
    return isClassification() ? "probabilities" : "output";
  }

  public Network network() {
    return network;
  }

  public Standardizer standardizer() {
    return standardizer;
  }

  /**
   * Predicts {@code rows} samples given row-major in {@code x} (raw features, not standardized);
   * returns rows×outputWidth values.
   */
  public float[] predict(float[] x, int rows) {
    int f = inputWidth();
    if (rows < 0 || x.length < (long) rows * f) {
      throw new IllegalArgumentException(
          "expected " + rows + " rows of " + f + " features, got " + x.length + " values");
    }
    float[] standardized = new float[rows * f];
    standardizer.apply(x, standardized, rows);
    float[] out = new float[rows * outputWidth()];
    network.predict(standardized, rows, out);
    return out;
  }

  /** The index of the largest output of each row (the predicted class). */
  public static int[] argmax(float[] outputs, int rows, int cols) {
    int[] best = new int[rows];
    for (int r = 0; r < rows; r++) {
      int b = 0;
      for (int j = 1; j < cols; j++) {
        if (outputs[r * cols + j] > outputs[r * cols + b]) {
          b = j;
        }
      }
      best[r] = b;
    }
    return best;
  }

  @Override
  public void close() {
    network.close();
  }
}
