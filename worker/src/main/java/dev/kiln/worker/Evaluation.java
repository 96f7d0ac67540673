package dev.kiln.worker;

import dev.kiln.model.LossFunction;
import dev.kiln.model.Metrics;
import dev.kiln.model.Network;
import dev.kiln.worker.data.Dataset;

/** Loss and correct predictions of a network on part of a channel (e.g. validation). */
final class Evaluation {
  private static final int CHUNK = 512;
  private static final double EPS = 1e-12;

  private Evaluation() {}

  /** {lossSum, correct} over rows [from, to) of {@code d}. */
  static double[] evaluate(Network net, Dataset d, int from, int to) {
    LossFunction loss = net.config().loss();
    int f = d.features();
    int c = net.outputWidth();
    int tw = d.targetWidth();
    float[] x = new float[CHUNK * f];
    float[] out = new float[CHUNK * c];
    float[] t = new float[CHUNK * tw];
    double lossSum = 0;
    long correct = 0;
    for (int r = from; r < to; r += CHUNK) {
      int rows = Math.min(CHUNK, to - r);
      System.arraycopy(d.x(), r * f, x, 0, rows * f);
      System.arraycopy(d.targets(), r * tw, t, 0, rows * tw);
      net.predict(x, rows, out);
      lossSum += lossSum(loss, out, t, rows, c);
      correct += Metrics.correct(loss, out, t, rows, c);
    }
    return new double[] {lossSum, correct};
  }

  /** Per-sample losses summed, from outputs (probabilities or values), as the loss defines them. */
  static double lossSum(LossFunction loss, float[] out, float[] t, int rows, int cols) {
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
