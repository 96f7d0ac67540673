package dev.kiln.worker.data;

import java.util.Locale;

/** What a model learns to output, which decides how labels are read (from the model's loss). */
public enum Targets {
  /** One class id per sample, C classes (cross entropy over softmax). */
  CLASSES,
  /** One value in [0, 1] per output (binary cross entropy over sigmoid). */
  BINARY,
  /** One finite value per output (mse). */
  VALUES;

  /** From a loss's spec name: cross_entropy, binary_cross_entropy, mse. */
  public static Targets forLoss(String loss) {
    return switch (loss.toLowerCase(Locale.ROOT)) {
      case "cross_entropy" -> CLASSES;
      case "binary_cross_entropy" -> BINARY;
      case "mse" -> VALUES;
      default -> throw new IllegalArgumentException("unknown loss " + loss);
    };
  }

  /** Targets per sample for a model with {@code outputs} units. */
  public int width(int outputs) {
    return this == CLASSES ? 1 : outputs;
  }

  String lossName() {
    return switch (this) {
      case CLASSES -> "cross_entropy";
      case BINARY -> "binary_cross_entropy";
      case VALUES -> "mse";
    };
  }
}
