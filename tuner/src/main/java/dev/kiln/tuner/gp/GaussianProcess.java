package dev.kiln.tuner.gp;

import java.util.Arrays;

/**
 * Posterior of a zero-mean Gaussian process with a Matérn 5/2 ARD kernel and fixed hyperparameters,
 * through a Cholesky factor of K + σ_n² I. Observations can be appended one at a time in O(n²),
 * which is how pending trials are represented (kriging believer: a pending point is added with the
 * posterior mean as its value). Not thread-safe: it reuses scratch buffers.
 */
public final class GaussianProcess {
  private final int dim;
  private final double[] invL2;
  private final double signalVariance;
  private final double noiseVariance;
  private double[][] x;
  private double[] y;
  private double[][] chol;
  private int n;
  private double[] alpha;
  private boolean alphaStale = true;
  private double[] kStar = new double[0];
  private double[] v = new double[0];

  private GaussianProcess(GpHyperparameters h, int capacity) {
    this.dim = h.lengthscales().length;
    this.invL2 = new double[dim];
    double[] ls = h.lengthscales();
    for (int d = 0; d < dim; d++) {
      invL2[d] = 1.0 / (ls[d] * ls[d]);
    }
    this.signalVariance = h.signalVariance();
    this.noiseVariance = h.noiseVariance();
    this.x = new double[capacity][];
    this.y = new double[capacity];
    this.chol = new double[capacity][];
  }

  /** The posterior given observations {@code x} (n × d) with values {@code y}. */
  public static GaussianProcess fit(double[][] x, double[] y, GpHyperparameters h) {
    GaussianProcess gp = new GaussianProcess(h, Math.max(8, x.length * 2));
    int n = x.length;
    for (double jitter = 0; ; jitter = jitter == 0 ? 1e-8 : jitter * 100) {
      for (int i = 0; i < n; i++) {
        gp.x[i] = x[i].clone();
        gp.y[i] = y[i];
        double[] row = new double[i + 1];
        for (int j = 0; j < i; j++) {
          row[j] = gp.signalVariance * Matern52.unitValue(Matern52.r2(x[i], x[j], gp.invL2));
        }
        row[i] = gp.signalVariance * (1 + jitter) + gp.noiseVariance;
        gp.chol[i] = row;
      }
      if (Cholesky.decompose(gp.chol, n)) {
        break;
      }
      if (jitter > 1e-2) {
        throw new IllegalStateException("kernel matrix is not positive definite");
      }
    }
    gp.n = n;
    return gp;
  }

  public int size() {
    return n;
  }

  public int dimensions() {
    return dim;
  }

  /** Appends an observation, extending the Cholesky factor by one row. */
  public void add(double[] point, double value) {
    if (n == x.length) {
      int cap = n * 2;
      x = Arrays.copyOf(x, cap);
      y = Arrays.copyOf(y, cap);
      chol = Arrays.copyOf(chol, cap);
    }
    double[] row = new double[n + 1];
    for (int j = 0; j < n; j++) {
      row[j] = signalVariance * Matern52.unitValue(Matern52.r2(point, x[j], invL2));
    }
    Cholesky.solveLower(chol, n, row);
    double s = 0;
    for (int j = 0; j < n; j++) {
      s += row[j] * row[j];
    }
    double diag = signalVariance + noiseVariance - s;
    row[n] = Math.sqrt(Math.max(diag, 1e-10 * signalVariance));
    x[n] = point.clone();
    y[n] = value;
    chol[n] = row;
    n++;
    alphaStale = true;
  }

  private void refresh() {
    if (alphaStale) {
      alpha = Arrays.copyOf(y, n);
      Cholesky.solveLower(chol, n, alpha);
      Cholesky.solveUpper(chol, n, alpha);
      alphaStale = false;
    }
    if (kStar.length < n) {
      kStar = new double[x.length];
      v = new double[x.length];
    }
  }

  /** Posterior mean and variance (of the latent function) at {@code point}: {@code out[0..1]}. */
  public void predict(double[] point, double[] out) {
    refresh();
    double mean = 0;
    for (int i = 0; i < n; i++) {
      double k = signalVariance * Matern52.unitValue(Matern52.r2(point, x[i], invL2));
      kStar[i] = k;
      v[i] = k;
      mean += k * alpha[i];
    }
    Cholesky.solveLower(chol, n, v);
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += v[i] * v[i];
    }
    out[0] = mean;
    out[1] = Math.max(signalVariance - s, 1e-12 * signalVariance);
  }

  /**
   * Posterior mean and variance at {@code point} ({@code out[0..1]}) and their gradients with
   * respect to the point.
   */
  public void predictWithGradient(
      double[] point, double[] out, double[] meanGradient, double[] varianceGradient) {
    refresh();
    double[] slope = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      double r2 = Matern52.r2(point, x[i], invL2);
      double k = signalVariance * Matern52.unitValue(r2);
      slope[i] = signalVariance * Matern52.unitSlope(r2);
      kStar[i] = k;
      v[i] = k;
      mean += k * alpha[i];
    }
    Cholesky.solveLower(chol, n, v);
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += v[i] * v[i];
    }
    Cholesky.solveUpper(chol, n, v); // v = K⁻¹ k*
    Arrays.fill(meanGradient, 0);
    Arrays.fill(varianceGradient, 0);
    for (int i = 0; i < n; i++) {
      double[] xi = x[i];
      double a = slope[i] * alpha[i];
      double b = slope[i] * v[i];
      for (int d = 0; d < dim; d++) {
        double dk = -(point[d] - xi[d]) * invL2[d]; // ∂k_i/∂x_d = slope * dk
        meanGradient[d] += a * dk;
        varianceGradient[d] -= 2 * b * dk;
      }
    }
    out[0] = mean;
    double var = signalVariance - s;
    if (var < 1e-12 * signalVariance) {
      out[1] = 1e-12 * signalVariance;
      Arrays.fill(varianceGradient, 0);
    } else {
      out[1] = var;
    }
  }
}
