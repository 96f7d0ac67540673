package dev.kiln.tuner.gp;

/**
 * Lower-triangular Cholesky factors stored as ragged rows (row i holds i + 1 entries), which lets a
 * factor grow by one row when an observation is appended.
 */
final class Cholesky {
  private Cholesky() {}

  /**
   * Factors the symmetric matrix whose lower triangle is {@code a} (ragged rows) in place. Returns
   * false if it is not numerically positive definite.
   */
  static boolean decompose(double[][] a, int n) {
    for (int i = 0; i < n; i++) {
      double[] ri = a[i];
      for (int j = 0; j <= i; j++) {
        double[] rj = a[j];
        double s = ri[j];
        for (int k = 0; k < j; k++) {
          s -= ri[k] * rj[k];
        }
        if (i == j) {
          if (!(s > 0)) {
            return false;
          }
          ri[i] = Math.sqrt(s);
        } else {
          ri[j] = s / rj[j];
        }
      }
    }
    return true;
  }

  /** Solves L v = b in place (forward substitution). */
  static void solveLower(double[][] l, int n, double[] b) {
    for (int i = 0; i < n; i++) {
      double[] ri = l[i];
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= ri[k] * b[k];
      }
      b[i] = s / ri[i];
    }
  }

  /** Solves Lᵀ w = v in place (back substitution, row-oriented). */
  static void solveUpper(double[][] l, int n, double[] v) {
    for (int i = n - 1; i >= 0; i--) {
      double[] ri = l[i];
      double wi = v[i] / ri[i];
      v[i] = wi;
      for (int k = 0; k < i; k++) {
        v[k] -= ri[k] * wi;
      }
    }
  }

  /** Σ log L_ii: half the log-determinant of the factored matrix. */
  static double halfLogDet(double[][] l, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += Math.log(l[i][i]);
    }
    return s;
  }

  /** (L Lᵀ)⁻¹ as ragged lower rows, through L⁻¹. */
  static double[][] inverse(double[][] l, int n) {
    double[][] li = new double[n][];
    for (int i = 0; i < n; i++) {
      double[] ri = l[i];
      double[] out = new double[i + 1];
      out[i] = 1.0 / ri[i];
      for (int j = 0; j < i; j++) {
        double s = 0;
        for (int k = j; k < i; k++) {
          s += ri[k] * li[k][j];
        }
        out[j] = -s / ri[i];
      }
      li[i] = out;
    }
    double[][] inv = new double[n][];
    for (int i = 0; i < n; i++) {
      inv[i] = new double[i + 1];
    }
    for (int k = 0; k < n; k++) {
      double[] rk = li[k];
      for (int i = 0; i <= k; i++) {
        double a = rk[i];
        if (a == 0) {
          continue;
        }
        double[] out = inv[i];
        for (int j = 0; j <= i; j++) {
          out[j] += a * rk[j];
        }
      }
    }
    return inv;
  }
}
