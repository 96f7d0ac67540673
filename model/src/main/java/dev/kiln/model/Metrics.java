package dev.kiln.model;

/** Per-batch counts for accuracy; trainers sum them over an epoch (and over ranks). */
public final class Metrics {
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
}
