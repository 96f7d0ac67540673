package dev.kiln.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Builders for small models and data used across tests. */
final class Fixtures {
  private Fixtures() {}

  static ModelConfig config(LossFunction loss, Object... layers) {
    return configWith(loss, OptimizerConfig.sgd(0.1f, 0.9f), 7L, layers);
  }

  /** Layers as alternating (units, activation) pairs, or a Float for a dropout rate. */
  static ModelConfig configWith(
      LossFunction loss, OptimizerConfig opt, long seed, Object... layers) {
    List<LayerSpec> list = new ArrayList<>();
    for (int i = 0; i < layers.length; i++) {
      if (layers[i] instanceof Float rate) {
        list.add(new LayerSpec.Dropout(rate));
      } else {
        list.add(new LayerSpec.Dense((Integer) layers[i], (Activation) layers[++i]));
      }
    }
    return new ModelConfig(list, loss, opt, ScheduleConfig.constant(), 3, 16, seed, true);
  }

  static float[] uniform(int n, long seed, float scale) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
    }
    return a;
  }

  /** Targets fitting the loss: class indices, 0/1 values, or reals. */
  static float[] targets(LossFunction loss, int rows, int cols, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = rows * loss.targetWidth(cols);
    float[] t = new float[n];
    for (int i = 0; i < n; i++) {
      t[i] =
          switch (loss) {
            case CROSS_ENTROPY -> r.nextInt(cols);
            case BINARY_CROSS_ENTROPY -> r.nextInt(2);
            default -> (float) r.nextDouble(-1, 1);
          };
    }
    return t;
  }

  static long[] ids(int from, int rows) {
    long[] ids = new long[rows];
    for (int i = 0; i < rows; i++) {
      ids[i] = from + i;
    }
    return ids;
  }
}
