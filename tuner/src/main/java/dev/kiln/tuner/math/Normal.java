package dev.kiln.tuner.math;

/**
 * The standard normal distribution and the log of expected improvement, computed so that neither
 * loses precision nor underflows far in the tails. erfc is a power series below 2.5 and a continued
 * fraction above (both to about 1e-15 relative).
 */
public final class Normal {
  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
  private static final double SQRT2 = Math.sqrt(2.0);
  private static final double SQRT_PI = Math.sqrt(Math.PI);
  private static final double SERIES_LIMIT = 2.5;

  private Normal() {}

  public static double pdf(double z) {
    return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
  }

  public static double logPdf(double z) {
    return -0.5 * z * z - LOG_SQRT_2PI;
  }

  public static double cdf(double z) {
    return 0.5 * erfc(-z / SQRT2);
  }

  /** log Φ(z), accurate for very negative z. */
  public static double logCdf(double z) {
    if (z > 0) {
      return Math.log1p(-0.5 * erfc(z / SQRT2));
    }
    return Math.log(0.5) + logErfc(-z / SQRT2);
  }

  /** Complementary error function. */
  public static double erfc(double x) {
    if (x < 0) {
      return 2 - erfc(-x);
    }
    if (x < SERIES_LIMIT) {
      return 1 - erf(x);
    }
    return Math.exp(-x * x) * continuedFraction(x) / SQRT_PI;
  }

  /** log erfc(x), without underflow for large x. */
  static double logErfc(double x) {
    if (x < SERIES_LIMIT) {
      return Math.log(erfc(x));
    }
    return -x * x + Math.log(continuedFraction(x) / SQRT_PI);
  }

  /** erf(x) for 0 ≤ x < 2.5: 2/√π e^{−x²} Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)), all terms positive. */
  private static double erf(double x) {
    double term = x;
    double sum = x;
    double x2 = x * x;
    for (int n = 1; n < 200; n++) {
      term *= 2 * x2 / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) {
        break;
      }
    }
    return 2 / SQRT_PI * Math.exp(-x2) * sum;
  }

  /**
   * e^{x²} √π erfc(x) = 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) for x ≥ 2.5, by Lentz's method.
   */
  private static double continuedFraction(double x) {
    double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0;
    for (int n = 1; n < 500; n++) {
      double a = n / 2.0;
      d = x + a * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = x + a / c;
      if (Math.abs(c) < tiny) {
        c = tiny;
      }
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return 1 / f;
  }

  /** Mills ratio Φ(−t)/φ(t) for t ≥ 0, without computing either tail. */
  private static double mills(double t) {
    double u = t / SQRT2;
    if (u < SERIES_LIMIT) {
      return cdf(-t) / pdf(t);
    }
    return continuedFraction(u) / SQRT2;
  }

  /**
   * log h(z) with h(z) = φ(z) + zΦ(z), so that expected improvement is σ·h(z) for z = (best − μ)/σ.
   * Writes d log h / dz = Φ(z)/h(z) into {@code dlogh[0]} when it is not null.
   */
  public static double logH(double z, double[] dlogh) {
    if (z > -1) {
      double cdf = cdf(z);
      double h = pdf(z) + z * cdf;
      if (dlogh != null) {
        dlogh[0] = cdf / h;
      }
      return Math.log(h);
    }
    double t = -z;
    double ratio; // h(z) / φ(z) = 1 − t·R(t), R the Mills ratio
    double mills;
    if (t < 40) {
      mills = mills(t);
      ratio = 1 - t * mills;
    } else {
      double t2 = 1 / (t * t);
      ratio = t2 * (1 - t2 * (3 - t2 * (15 - t2 * 105)));
      mills = (1 - ratio) / t;
    }
    if (dlogh != null) {
      dlogh[0] = mills / ratio;
    }
    return logPdf(z) + Math.log(ratio);
  }
}
