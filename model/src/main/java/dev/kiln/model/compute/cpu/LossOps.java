package dev.kiln.model.compute.cpu;

import dev.kiln.model.Activation;
import dev.kiln.model.LossFunction;

/** Per-row losses and their gradients with respect to the last layer's pre-activation. */
final class LossOps {
  private LossOps() {}

  /** Returns the loss summed over rows (in row order) and writes the scaled gradient. */
  static double lossAndGradient(
      LossFunction loss,
      Activation act,
      float[] z,
      int zo,
      float[] y,
      int yo,
      float[] t,
      int to,
      int rows,
      int cols,
      float scale,
      float[] g,
      int go) {
    switch (loss) {
      case CROSS_ENTROPY:
        return crossEntropy(z, zo, y, yo, t, to, rows, cols, scale, g, go);
      case BINARY_CROSS_ENTROPY:
        return binaryCrossEntropy(z, zo, y, yo, t, to, rows, cols, scale, g, go);
      default:
        return meanSquaredError(act, y, yo, t, to, rows, cols, scale, g, go);
    }
  }

  /** Softmax output, integer labels: {@code -log p[label]} from the logits; gradient p − onehot. */
  private static double crossEntropy(
      float[] z,
      int zo,
      float[] p,
      int po,
      float[] t,
      int to,
      int rows,
      int cols,
      float scale,
      float[] g,
      int go) {
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int label = label(t[to + r], cols, r);
      int o = r * cols;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, z[zo + o + j]);
      }
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        sum += Math.exp(z[zo + o + j] - max);
      }
      total += Math.log(sum) + max - z[zo + o + label];
      for (int j = 0; j < cols; j++) {
        float d = j == label ? p[po + o + j] - 1f : p[po + o + j];
        g[go + o + j] = scale * d;
      }
    }
    return total;
  }

  /** Sigmoid outputs, 0/1 targets: mean log loss from the logits; gradient (p − y)/cols. */
  private static double binaryCrossEntropy(
      float[] z,
      int zo,
      float[] p,
      int po,
      float[] t,
      int to,
      int rows,
      int cols,
      float scale,
      float[] g,
      int go) {
    double total = 0;
    float s = scale / cols;
    for (int r = 0; r < rows; r++) {
      double row = 0;
      for (int j = 0; j < cols; j++) {
        int i = r * cols + j;
        double x = z[zo + i];
        double y = t[to + i];
        // log(1 + e^x) - x*y without overflow
        row += Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
        g[go + i] = s * (p[po + i] - t[to + i]);
      }
      total += row / cols;
    }
    return total;
  }

  /** Mean over outputs of the squared error; gradient 2(ŷ − y)/cols through the activation. */
  private static double meanSquaredError(
      Activation act,
      float[] y,
      int yo,
      float[] t,
      int to,
      int rows,
      int cols,
      float scale,
      float[] g,
      int go) {
    double total = 0;
    float s = 2f * scale / cols;
    for (int r = 0; r < rows; r++) {
      double row = 0;
      for (int j = 0; j < cols; j++) {
        int i = r * cols + j;
        float d = y[yo + i] - t[to + i];
        row += (double) d * d;
        g[go + i] = s * d;
      }
      total += row / cols;
    }
    if (act == Activation.SOFTMAX) {
      ElementwiseOps.softmaxBackward(y, yo, g, go, rows, cols);
    } else {
      ElementwiseOps.multiplyDerivative(act, y, yo, cols, g, go, cols, rows, cols);
    }
    return total;
  }

  private static int label(float value, int classes, int row) {
    int label = (int) value;
    if (label != value || label < 0 || label >= classes) {
      throw new IllegalArgumentException(
          "row "
              + row
              + ": label "
              + value
              + " is not a class index in [0, "
              + classes
              + ") of the output layer");
    }
    return label;
  }
}
