package dev.kiln.tuner.strategy;

import dev.kiln.tuner.math.Normal;
import dev.kiln.tuner.math.Rng;
import java.util.Arrays;

/**
 * One side (good or bad trials) of a univariate TPE model of one parameter, the way Optuna's
 * default TPE builds it: a mixture over observations plus a prior kernel, on the unit interval.
 *
 * <p>Numeric: truncated Gaussians centred on the observations, each as wide as its larger gap to a
 * sorted neighbour ("magic clip" keeps widths in [1/min(100, n+1), 1]); the prior is centred with
 * width 1. Categorical: per observation a distribution peaked on its category, smoothed by the
 * prior weight; the prior kernel is uniform. Mixture weights are Optuna's: equal up to 25
 * observations, then older observations ramp down; the prior weighs 1.
 */
final class ParzenEstimator {
  private static final double PRIOR_WEIGHT = 1.0;
  private final double[] logWeights;
  private final double[] weights;
  // Numeric
  private final double[] mus;
  private final double[] sigmas;
  private final double[] logNorm; // log of each truncated kernel's mass on [0, 1]
  // Categorical
  private final double[][] probs;

  private ParzenEstimator(double[] weights, double[] mus, double[] sigmas, double[][] probs) {
    this.weights = weights;
    this.logWeights = new double[weights.length];
    for (int k = 0; k < weights.length; k++) {
      logWeights[k] = Math.log(weights[k]);
    }
    this.mus = mus;
    this.sigmas = sigmas;
    this.probs = probs;
    if (mus != null) {
      logNorm = new double[mus.length];
      for (int k = 0; k < mus.length; k++) {
        logNorm[k] = Math.log(massBetween(0, 1, mus[k], sigmas[k]));
      }
    } else {
      logNorm = null;
    }
  }

  /** Mixture weights for {@code n} observations in trial order, plus the prior's, normalized. */
  static double[] mixtureWeights(int n) {
    double[] w = new double[n + 1];
    if (n < 25) {
      Arrays.fill(w, 0, n, 1.0);
    } else {
      int ramp = n - 25;
      for (int i = 0; i < ramp; i++) {
        w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + i * (1.0 - 1.0 / n) / (ramp - 1);
      }
      Arrays.fill(w, ramp, n, 1.0);
    }
    w[n] = PRIOR_WEIGHT;
    double sum = 0;
    for (double v : w) {
      sum += v;
    }
    for (int i = 0; i <= n; i++) {
      w[i] /= sum;
    }
    return w;
  }

  /**
   * The numeric estimator over observations in [0, 1], in trial order. As in Optuna 3.1, the prior
   * takes part in the neighbour gaps and the clip (then gets width 1).
   */
  static ParzenEstimator numeric(double[] observations) {
    int n = observations.length;
    int m = n + 1;
    double[] mus = Arrays.copyOf(observations, m);
    mus[n] = 0.5;
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(mus[a], mus[b]));
    double[] s = new double[m + 2]; // sorted with endpoints
    s[0] = 0;
    s[m + 1] = 1;
    for (int i = 0; i < m; i++) {
      s[i + 1] = mus[order[i]];
    }
    double[] sortedSigma = new double[m];
    for (int i = 0; i < m; i++) {
      sortedSigma[i] = Math.max(s[i + 1] - s[i], s[i + 2] - s[i + 1]);
    }
    if (m >= 2) {
      sortedSigma[0] = s[2] - s[1];
      sortedSigma[m - 1] = s[m] - s[m - 1];
    }
    double minSigma = 1.0 / Math.min(100.0, 1.0 + m);
    double[] sigmas = new double[m];
    for (int i = 0; i < m; i++) {
      sigmas[order[i]] = Math.min(1.0, Math.max(minSigma, sortedSigma[i]));
    }
    sigmas[n] = 1.0;
    return new ParzenEstimator(mixtureWeights(n), mus, sigmas, null);
  }

  /** The categorical estimator over observed category indices, in trial order. */
  static ParzenEstimator categorical(int[] observations, int categories) {
    int n = observations.length;
    double[][] p = new double[n + 1][categories];
    double base = PRIOR_WEIGHT / (n + 1);
    for (int k = 0; k <= n; k++) {
      Arrays.fill(p[k], base);
      if (k < n) {
        p[k][observations[k]] += 1;
      }
      double sum = 0;
      for (double v : p[k]) {
        sum += v;
      }
      for (int c = 0; c < categories; c++) {
        p[k][c] /= sum;
      }
    }
    return new ParzenEstimator(mixtureWeights(n), null, null, p);
  }

  private static double massBetween(double a, double b, double mu, double sigma) {
    return Math.max(Normal.cdf((b - mu) / sigma) - Normal.cdf((a - mu) / sigma), 1e-300);
  }

  private int pickKernel(Rng rng) {
    double u = rng.nextDouble();
    double acc = 0;
    for (int k = 0; k < weights.length; k++) {
      acc += weights[k];
      if (u < acc) {
        return k;
      }
    }
    return weights.length - 1;
  }

  /** A draw in [0, 1] (numeric). */
  double sample(Rng rng) {
    int k = pickKernel(rng);
    for (int tries = 0; tries < 100; tries++) {
      double x = mus[k] + sigmas[k] * rng.nextGaussian();
      if (x >= 0 && x <= 1) {
        return x;
      }
    }
    return Math.min(1, Math.max(0, mus[k]));
  }

  /** A draw of a category index (categorical). */
  int sampleCategory(Rng rng) {
    double[] p = probs[pickKernel(rng)];
    double u = rng.nextDouble();
    double acc = 0;
    for (int c = 0; c < p.length; c++) {
      acc += p[c];
      if (u < acc) {
        return c;
      }
    }
    return p.length - 1;
  }

  /** Log density at x (numeric, continuous). */
  double logPdf(double x) {
    double[] terms = new double[mus.length];
    for (int k = 0; k < mus.length; k++) {
      double z = (x - mus[k]) / sigmas[k];
      terms[k] = logWeights[k] + Normal.logPdf(z) - Math.log(sigmas[k]) - logNorm[k];
    }
    return logSumExp(terms);
  }

  /** Log probability of the interval [a, b] (numeric, for int bins). */
  double logMass(double a, double b) {
    double[] terms = new double[mus.length];
    for (int k = 0; k < mus.length; k++) {
      terms[k] = logWeights[k] + Math.log(massBetween(a, b, mus[k], sigmas[k])) - logNorm[k];
    }
    return logSumExp(terms);
  }

  /** Log probability of category c (categorical). */
  double logProbability(int c) {
    double s = 0;
    for (int k = 0; k < probs.length; k++) {
      s += weights[k] * probs[k][c];
    }
    return Math.log(s);
  }

  private static double logSumExp(double[] v) {
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      max = Math.max(max, x);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double s = 0;
    for (double x : v) {
      s += Math.exp(x - max);
    }
    return max + Math.log(s);
  }
}
