package dev.kiln.tuner.strategy;

import dev.kiln.tuner.gp.GaussianProcess;
import dev.kiln.tuner.math.Lbfgs;
import dev.kiln.tuner.math.Normal;

/**
 * log EI(x) = log σ(x) + log h((f* − μ(x)) / σ(x)) for minimization, computed in log space so that
 * candidates far from the incumbent still rank instead of all underflowing to zero. As an {@link
 * Lbfgs.Function} it returns −log EI and its gradient.
 */
final class LogExpectedImprovement implements Lbfgs.Function {
  private final GaussianProcess gp;
  private final double incumbent;
  private final double[] out = new double[2];
  private final double[] dlogh = new double[1];
  private double[] dMean = new double[0];
  private double[] dVar = new double[0];

  LogExpectedImprovement(GaussianProcess gp, double incumbent) {
    this.gp = gp;
    this.incumbent = incumbent;
  }

  double value(double[] x) {
    gp.predict(x, out);
    double sigma = Math.sqrt(out[1]);
    return Math.log(sigma) + Normal.logH((incumbent - out[0]) / sigma, null);
  }

  @Override
  public double valueAndGradient(double[] x, double[] gradient) {
    if (dMean.length != x.length) {
      dMean = new double[x.length];
      dVar = new double[x.length];
    }
    gp.predictWithGradient(x, out, dMean, dVar);
    double sigma = Math.sqrt(out[1]);
    double z = (incumbent - out[0]) / sigma;
    double value = Math.log(sigma) + Normal.logH(z, dlogh);
    for (int d = 0; d < x.length; d++) {
      double dSigma = dVar[d] / (2 * sigma);
      double dz = (-dMean[d] - z * dSigma) / sigma;
      gradient[d] = -(dSigma / sigma + dlogh[0] * dz);
    }
    return -value;
  }
}
