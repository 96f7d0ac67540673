package dev.kiln.worker;

import dev.kiln.model.LossFunction;
import dev.kiln.model.Metrics;
import dev.kiln.model.Network;
import dev.kiln.worker.data.Dataset;

/** Loss and correct predictions of a network on part of a channel (e.g. validation). */
final class Evaluation {
  private static final int CHUNK = 512;

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
      lossSum += Metrics.lossSum(loss, out, t, rows, c);
      correct += Metrics.correct(loss, out, t, rows, c);
    }
    return new double[] {lossSum, correct};
  }
}
