package dev.kiln.tuner.gp;

import java.util.Arrays;

/**
 * Hyperparameters of a zero-mean GP with a Matérn 5/2 ARD kernel: one lengthscale per input
 * dimension, the signal variance and the observation-noise variance.
 */
public record GpHyperparameters(
    double[] lengthscales, double signalVariance, double noiseVariance) {

  public GpHyperparameters {
    lengthscales = lengthscales.clone();
    for (double l : lengthscales) {
      if (!(l > 0)) {
        throw new IllegalArgumentException(
            "lengthscales must be positive: " + Arrays.toString(lengthscales));
      }
    }
    if (!(signalVariance > 0) || !(noiseVariance > 0)) {
      throw new IllegalArgumentException("variances must be positive");
    }
  }

  /** From the log-space vector [log l_1..log l_d, log signal variance, log noise variance]. */
  public static GpHyperparameters fromLog(double[] theta) {
    int d = theta.length - 2;
    double[] ls = new double[d];
    for (int i = 0; i < d; i++) {
      ls[i] = Math.exp(theta[i]);
    }
    return new GpHyperparameters(ls, Math.exp(theta[d]), Math.exp(theta[d + 1]));
  }

  /** The log-space vector (see {@link #fromLog}). */
  public double[] toLog() {
    int d = lengthscales.length;
    double[] theta = new double[d + 2];
    for (int i = 0; i < d; i++) {
      theta[i] = Math.log(lengthscales[i]);
    }
    theta[d] = Math.log(signalVariance);
    theta[d + 1] = Math.log(noiseVariance);
    return theta;
  }

  @Override
  public double[] lengthscales() {
    return lengthscales.clone();
  }

  @Override
  public String toString() {
    return "GpHyperparameters[lengthscales="
        + Arrays.toString(lengthscales)
        + ", signalVariance="
        + signalVariance
        + ", noiseVariance="
        + noiseVariance
        + "]";
  }
}
