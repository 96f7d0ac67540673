package dev.kiln.model;

import java.util.Locale;

/**
 * A training loss. Per sample: {@code mse} is the mean over outputs of the squared error, {@code
 * cross_entropy} is {@code -log p[label]} over a softmax output with integer labels, {@code
 * binary_cross_entropy} is the mean over sigmoid outputs of the log loss with 0/1 targets.
 */
public enum LossFunction {
  MSE,
  CROSS_ENTROPY,
  BINARY_CROSS_ENTROPY;

  /** The spec's spelling: {@code mse}, {@code cross_entropy}, {@code binary_cross_entropy}. */
  public String specName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the spec's spelling; the message lists what is allowed. */
  public static LossFunction parse(String name) {
    for (LossFunction l : values()) {
      if (l.specName().equals(name)) {
        return l;
      }
    }
    throw new ModelConfigException(
        "unknown loss '" + name + "': expected mse, cross_entropy or binary_cross_entropy");
  }

  /** Targets per sample: one class index for cross entropy, else one value per output. */
  public int targetWidth(int outputs) {
    return this == CROSS_ENTROPY ? 1 : outputs;
  }

  /** True for losses whose model predicts classes (accuracy is meaningful). */
  public boolean isClassification() {
    return this != MSE;
  }
}
