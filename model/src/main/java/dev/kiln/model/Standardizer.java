package dev.kiln.model;

/**
 * Per-feature standardization {@code (x - mean) / std}, fitted on the training channel and saved
 * with the model. A feature with zero variance gets std 1 (it is only centred).
 */
public record Standardizer(float[] mean, float[] std) {

  /** Checks the two arrays match and every std is positive. */
  public Standardizer {
    if (mean.length != std.length) {
      throw new IllegalArgumentException(
          "mean has " + mean.length + " features, std has " + std.length);
    }
    for (int j = 0; j < std.length; j++) {
      if (!(std[j] > 0f) || Float.isInfinite(std[j])) {
        throw new IllegalArgumentException("std of feature " + j + " must be > 0, got " + std[j]);
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** The identity (mean 0, std 1) for {@code features} features. */
  public static Standardizer identity(int features) {
    float[] ones = new float[features];
    java.util.Arrays.fill(ones, 1f);
    return new Standardizer(new float[features], ones);
  }

  /** Fits on {@code rows} samples of {@code features} values each (row-major), in double. */
  public static Standardizer fit(float[] x, int rows, int features) {
    if (rows < 1) {
      throw new IllegalArgumentException("cannot fit a standardizer on 0 rows");
    }
    double[] sum = new double[features];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < features; j++) {
        sum[j] += x[r * features + j];
      }
    }
    float[] mean = new float[features];
    double[] m = new double[features];
    for (int j = 0; j < features; j++) {
      m[j] = sum[j] / rows;
      mean[j] = (float) m[j];
    }
    double[] sq = new double[features];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < features; j++) {
        double d = x[r * features + j] - m[j];
        sq[j] += d * d;
      }
    }
    float[] std = new float[features];
    for (int j = 0; j < features; j++) {
      float s = (float) Math.sqrt(sq[j] / rows);
      std[j] = s > 1e-12f && Float.isFinite(s) ? s : 1f;
    }
    return new Standardizer(mean, std);
  }

  public int features() {
    return mean.length;
  }

  /**
   * Standardizes {@code rows} samples from {@code src} into {@code dst} (may be the same array),
   * with the same float operations as the ONNX graph (Sub, then Div).
   */
  public void apply(float[] src, float[] dst, int rows) {
    int f = mean.length;
    for (int r = 0; r < rows; r++) {
      int o = r * f;
      for (int j = 0; j < f; j++) {
        dst[o + j] = (src[o + j] - mean[j]) / std[j];
      }
    }
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }
}
