package dev.kiln.tuner.strategy;

import java.util.Arrays;

/**
 * How losses are transformed before the GP sees them. Objectives span wildly different ranges
 * (Rosenbrock's values cover six orders of magnitude near a flat valley, an accuracy two digits),
 * and a stationary GP models a standardized target without a heavy tail much better.
 */
enum OutputWarp {
  /** Subtract the mean, divide by the standard deviation. */
  STANDARDIZE,
  /**
   * log(loss − min + δ) with δ = median − min, then standardized: close to linear among the good
   * values (where differences are small compared with δ), logarithmic on the bad tail. Invariant to
   * shifting and scaling the objective.
   */
  LOG;

  static OutputWarp parse(String name) {
    for (OutputWarp w : values()) {
      if (w.name().equalsIgnoreCase(name)) {
        return w;
      }
    }
    throw new IllegalArgumentException(
        "output warp must be 'log' or 'standardize', got '" + name + "'");
  }

  double[] apply(double[] loss) {
    if (this == STANDARDIZE) {
      return standardize(loss.clone());
    }
    int n = loss.length;
    double[] sorted = loss.clone();
    Arrays.sort(sorted);
    double min = sorted[0];
    double delta = sorted[(n - 1) / 2] - min;
    if (!(delta > 0)) {
      delta = sorted[n - 1] - min; // more than half tie at the minimum
    }
    if (!(delta > 0)) {
      delta = 1; // all equal: standardizing makes them all zero anyway
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = Math.log(loss[i] - min + delta);
    }
    return standardize(out);
  }

  static double[] standardize(double[] v) {
    double mean = 0;
    for (double x : v) {
      mean += x;
    }
    mean /= v.length;
    double var = 0;
    for (double x : v) {
      var += (x - mean) * (x - mean);
    }
    double sd = Math.sqrt(var / v.length);
    if (!(sd > 1e-12)) {
      sd = 1;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = (v[i] - mean) / sd;
    }
    return v;
  }
}
