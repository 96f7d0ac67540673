package dev.kiln.model;

/**
 * Per-batch loss sums and counts for accuracy; trainers sum them over an epoch (and over ranks).
 */
public final class Metrics {
  /** Keeps log() finite for outputs that saturate at 0 or 1. */
  private static final double EPS = 1e-12;

  private Metrics() {}

  /**
   * Correct predictions among {@code rows} outputs: for cross entropy the arg-max equals the label;
   * for binary cross entropy every output thresholded at 0.5 equals its 0/1 target. Zero for mse,
   * which has no accuracy.
   */
  public static int correct(
      LossFunction loss, float[] outputs, float[] targets, int rows, int cols) {
    int correct = 0;
    if (loss == LossFunction.CROSS_ENTROPY) {
      int[] predicted = Predictor.argmax(outputs, rows, cols);
      for (int r = 0; r < rows; r++) {
        if (predicted[r] == (int) targets[r]) {
          correct++;
        }
      }
    } else if (loss == LossFunction.BINARY_CROSS_ENTROPY) {
      for (int r = 0; r < rows; r++) {
        boolean all = true;
        for (int j = 0; j < cols && all; j++) {
          all = (outputs[r * cols + j] >= 0.5f) == (targets[r * cols + j] >= 0.5f);
        }
        correct += all ? 1 : 0;
      }
    }
    return correct;
  }

  /** Per-sample losses summed, from outputs (probabilities or values), as the loss defines them. */
  public static double lossSum(LossFunction loss, float[] out, float[] t, int rows, int cols) {
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      switch (loss) {
        case CROSS_ENTROPY -> total -= Math.log(Math.max(out[o + (int) t[r]], EPS));
        case BINARY_CROSS_ENTROPY -> {
          double row = 0;
          for (int j = 0; j < cols; j++) {
            double p = Math.min(Math.max(out[o + j], EPS), 1 - EPS);
            double y = t[o + j];
            row -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
          }
          total += row / cols;
        }
        default -> {
          double row = 0;
          for (int j = 0; j < cols; j++) {
            double e = out[o + j] - t[o + j];
            row += e * e;
          }
          total += row / cols;
        }
      }
    }
    return total;
  }
}
