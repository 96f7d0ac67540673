package dev.kiln.tuner.gp;

import dev.kiln.tuner.math.Lbfgs;
import dev.kiln.tuner.math.Rng;
import java.util.Arrays;

/**
 * Fits GP hyperparameters by maximizing the log marginal likelihood (plus weak log-normal priors
 * that keep small samples sensible) with box-bounded L-BFGS from a fixed start and a few seeded
 * random restarts. Inputs are expected in the unit cube and outputs standardized.
 */
public final class GpFitter {
  // Bounds on log hyperparameters: lengthscale, signal variance, noise variance.
  static final double LOG_L_MIN = Math.log(0.01);
  static final double LOG_L_MAX = Math.log(50.0);
  static final double LOG_SV_MIN = Math.log(0.05);
  static final double LOG_SV_MAX = Math.log(20.0);
  static final double LOG_NOISE_MIN = Math.log(1e-6);
  static final double LOG_NOISE_MAX = Math.log(1.0);

  private final int restarts;
  private final int maxIterations;

  /**
   * @param restarts random restarts on top of the fixed start
   * @param maxIterations L-BFGS iterations per start
   */
  public GpFitter(int restarts, int maxIterations) {
    this.restarts = restarts;
    this.maxIterations = maxIterations;
  }

  /** The prior used for {@code dim} input dimensions. */
  public static MarginalLikelihood.Prior prior(int dim) {
    double[] mean = new double[dim + 2];
    double[] sd = new double[dim + 2];
    // Lengthscales: median grows with √d so that more dimensions mean smoother models.
    Arrays.fill(mean, 0, dim, Math.log(0.25 * Math.sqrt(dim)));
    Arrays.fill(sd, 0, dim, 1.5);
    mean[dim] = 0;
    sd[dim] = 1.5;
    mean[dim + 1] = Math.log(1e-3);
    sd[dim + 1] = 3;
    return new MarginalLikelihood.Prior(mean, sd);
  }

  /** The hyperparameters of the best of the starts (deterministic given {@code rng}). */
  public GpHyperparameters fit(double[][] x, double[] y, Rng rng) {
    int dim = x[0].length;
    MarginalLikelihood.Prior prior = prior(dim);
    MarginalLikelihood f = new MarginalLikelihood(x, y, prior);
    double[] lower = new double[dim + 2];
    double[] upper = new double[dim + 2];
    Arrays.fill(lower, 0, dim, LOG_L_MIN);
    Arrays.fill(upper, 0, dim, LOG_L_MAX);
    lower[dim] = LOG_SV_MIN;
    upper[dim] = LOG_SV_MAX;
    lower[dim + 1] = LOG_NOISE_MIN;
    upper[dim + 1] = LOG_NOISE_MAX;

    double[] start = prior.mean(); // the fixed start: the prior's centre
    Lbfgs.Result best = Lbfgs.minimize(f, start, lower, upper, maxIterations, 1e-5);
    for (int r = 0; r < restarts; r++) {
      double[] s = new double[dim + 2];
      for (int d = 0; d < dim; d++) {
        s[d] = Math.log(0.05) + rng.nextDouble() * (Math.log(2.0) - Math.log(0.05));
      }
      s[dim] = Math.log(0.5) + rng.nextDouble() * Math.log(4);
      s[dim + 1] = Math.log(1e-5) + rng.nextDouble() * Math.log(1e3);
      Lbfgs.Result res = Lbfgs.minimize(f, s, lower, upper, maxIterations, 1e-5);
      if (res.value() < best.value() || !Double.isFinite(best.value())) {
        best = res;
      }
    }
    if (!Double.isFinite(best.value())) {
      return GpHyperparameters.fromLog(start);
    }
    return GpHyperparameters.fromLog(best.x());
  }
}
