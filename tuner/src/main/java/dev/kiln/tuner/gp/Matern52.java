package dev.kiln.tuner.gp;

/**
 * The Matérn 5/2 kernel as a function of the scaled distance r: k(r) = σ²(1 + √5 r + 5r²/3) exp(−√5
 * r), r² = Σ_d (x_d − x'_d)² / l_d².
 */
final class Matern52 {
  static final double SQRT5 = Math.sqrt(5.0);

  private Matern52() {}

  /** k(r) / σ² from r². */
  static double unitValue(double r2) {
    double r = Math.sqrt(r2);
    return (1 + SQRT5 * r + 5.0 / 3.0 * r2) * Math.exp(-SQRT5 * r);
  }

  /**
   * −(dk/dr)/r divided by σ²: (5/3)(1 + √5 r) exp(−√5 r). The derivative of k with respect to x_d
   * is then −σ² times this times (x_d − x'_d)/l_d², and with respect to log l_d it is σ² times this
   * times (x_d − x'_d)²/l_d².
   */
  static double unitSlope(double r2) {
    double r = Math.sqrt(r2);
    return 5.0 / 3.0 * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
  }

  /** Scaled squared distance with inverse squared lengthscales {@code invL2}. */
  static double r2(double[] a, double[] b, double[] invL2) {
    double s = 0;
    for (int d = 0; d < a.length; d++) {
      double diff = a[d] - b[d];
      s += diff * diff * invL2[d];
    }
    return s;
  }
}
