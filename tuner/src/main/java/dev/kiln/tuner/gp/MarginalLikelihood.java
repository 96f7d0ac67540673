package dev.kiln.tuner.gp;

import dev.kiln.tuner.math.Lbfgs;

/**
 * The negative log marginal likelihood of a zero-mean Matérn 5/2 ARD GP, optionally plus the
 * negative log of independent normal priors on the log hyperparameters, with its exact gradient
 * with respect to θ = [log l_1..log l_d, log σ², log σ_n²]:
 *
 * <pre>
 *   −log p(y|θ) = ½ yᵀK⁻¹y + ½ log|K| + (n/2) log 2π
 *   ∂/∂θ_j      = −½ tr((ααᵀ − K⁻¹) ∂K/∂θ_j),  α = K⁻¹y
 * </pre>
 */
public final class MarginalLikelihood implements Lbfgs.Function {
  private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

  /** Normal priors on the log hyperparameters: means and standard deviations, in θ order. */
  public record Prior(double[] mean, double[] sd) {}

  private final int n;
  private final int dim;
  private final double[] y;
  private final double[][] diff2; // [d][pair]: squared coordinate differences, pairs i > j
  private final Prior prior;

  public MarginalLikelihood(double[][] x, double[] y, Prior prior) {
    this.n = x.length;
    this.dim = x[0].length;
    this.y = y.clone();
    this.prior = prior;
    int pairs = n * (n - 1) / 2;
    diff2 = new double[dim][pairs];
    for (int i = 1, p = 0; i < n; i++) {
      for (int j = 0; j < i; j++, p++) {
        for (int d = 0; d < dim; d++) {
          double diff = x[i][d] - x[j][d];
          diff2[d][p] = diff * diff;
        }
      }
    }
  }

  public int parameters() {
    return dim + 2;
  }

  @Override
  public double valueAndGradient(double[] theta, double[] gradient) {
    double[] invL2 = new double[dim];
    for (int d = 0; d < dim; d++) {
      invL2[d] = Math.exp(-2 * theta[d]);
    }
    double sv = Math.exp(theta[dim]);
    double noise = Math.exp(theta[dim + 1]);
    int pairs = n * (n - 1) / 2;
    double[] kf = new double[pairs];
    double[] slope = new double[pairs];
    double[][] l = new double[n][];
    for (int i = 0, p = 0; i < n; i++) {
      double[] row = new double[i + 1];
      for (int j = 0; j < i; j++, p++) {
        double r2 = 0;
        for (int d = 0; d < dim; d++) {
          r2 += diff2[d][p] * invL2[d];
        }
        double r = Math.sqrt(r2);
        double e = Math.exp(-Matern52.SQRT5 * r);
        kf[p] = sv * (1 + Matern52.SQRT5 * r + 5.0 / 3.0 * r2) * e;
        slope[p] = sv * 5.0 / 3.0 * (1 + Matern52.SQRT5 * r) * e;
        row[j] = kf[p];
      }
      row[i] = sv + noise;
      l[i] = row;
    }
    if (!Cholesky.decompose(l, n)) {
      java.util.Arrays.fill(gradient, 0);
      return Double.POSITIVE_INFINITY;
    }
    double[] alpha = y.clone();
    Cholesky.solveLower(l, n, alpha);
    Cholesky.solveUpper(l, n, alpha);
    double fit = 0;
    for (int i = 0; i < n; i++) {
      fit += y[i] * alpha[i];
    }
    double value = 0.5 * fit + Cholesky.halfLogDet(l, n) + n * HALF_LOG_2PI;

    double[][] inv = Cholesky.inverse(l, n);
    // W = ααᵀ − K⁻¹; gradient of log p is ½ tr(W ∂K).
    double traceDiag = 0;
    for (int i = 0; i < n; i++) {
      traceDiag += alpha[i] * alpha[i] - inv[i][i];
    }
    double gSignal = 0.5 * traceDiag * sv;
    double gNoise = 0.5 * traceDiag * noise;
    double[] c = new double[pairs];
    for (int i = 1, p = 0; i < n; i++) {
      double[] invRow = inv[i];
      for (int j = 0; j < i; j++, p++) {
        double w = alpha[i] * alpha[j] - invRow[j];
        gSignal += w * kf[p];
        c[p] = w * slope[p];
      }
    }
    for (int d = 0; d < dim; d++) {
      double[] dd = diff2[d];
      double s = 0;
      for (int p = 0; p < pairs; p++) {
        s += c[p] * dd[p];
      }
      gradient[d] = -s * invL2[d];
    }
    gradient[dim] = -gSignal;
    gradient[dim + 1] = -gNoise;
    if (prior != null) {
      for (int k = 0; k < theta.length; k++) {
        double z = (theta[k] - prior.mean()[k]) / prior.sd()[k];
        value += 0.5 * z * z;
        gradient[k] += z / prior.sd()[k];
      }
    }
    return value;
  }
}
