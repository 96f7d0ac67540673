package dev.kiln.tuner.math;

import java.util.Arrays;

/**
 * Limited-memory BFGS with optional box bounds (projected steps; variables held at a bound drop out
 * of the direction), and a backtracking Armijo line search. Small and deterministic: enough for GP
 * hyperparameters and acquisition functions over a few dozen variables.
 */
public final class Lbfgs {
  /** A function that returns its value and writes its gradient into {@code gradient}. */
  @FunctionalInterface
  public interface Function {
    double valueAndGradient(double[] x, double[] gradient);
  }

  /** The minimum found: where, its value, and how many function evaluations it took. */
  public record Result(double[] x, double value, int evaluations) {}

  private static final int MEMORY = 6;

  private Lbfgs() {}

  /** Minimizes {@code f} from {@code x0} without bounds. */
  public static Result minimize(Function f, double[] x0, int maxIterations, double gradientTol) {
    return minimize(f, x0, null, null, maxIterations, gradientTol);
  }

  /** Minimizes {@code f} from {@code x0} within [lower, upper] (either may be null: unbounded). */
  public static Result minimize(
      Function f,
      double[] x0,
      double[] lower,
      double[] upper,
      int maxIterations,
      double gradientTol) {
    int n = x0.length;
    double[] x = x0.clone();
    project(x, lower, upper);
    double[] g = new double[n];
    double fx = f.valueAndGradient(x, g);
    int evals = 1;
    if (!Double.isFinite(fx)) {
      return new Result(x, fx, evals);
    }
    double[][] s = new double[MEMORY][];
    double[][] y = new double[MEMORY][];
    double[] rho = new double[MEMORY];
    int stored = 0;
    int head = 0;
    double[] pg = new double[n];
    double[] d = new double[n];
    double[] alpha = new double[MEMORY];
    double[] xNew = new double[n];
    double[] gNew = new double[n];
    boolean[] fixed = new boolean[n];
    boolean[] prevFixed = new boolean[n];
    for (int iter = 0; iter < maxIterations; iter++) {
      double pgMax = 0;
      for (int i = 0; i < n; i++) {
        fixed[i] =
            (lower != null && x[i] <= lower[i] && g[i] > 0)
                || (upper != null && x[i] >= upper[i] && g[i] < 0);
        pg[i] = fixed[i] ? 0 : g[i];
        pgMax = Math.max(pgMax, Math.abs(pg[i]));
      }
      if (pgMax < gradientTol) {
        break;
      }
      if (!Arrays.equals(fixed, prevFixed)) {
        stored = 0; // the active set changed: the curvature pairs no longer apply
        System.arraycopy(fixed, 0, prevFixed, 0, n);
      }
      // Two-loop recursion: d = -H * pg.
      System.arraycopy(pg, 0, d, 0, n);
      for (int k = 0; k < stored; k++) {
        int j = Math.floorMod(head - 1 - k, MEMORY);
        alpha[j] = rho[j] * dot(s[j], d);
        axpy(-alpha[j], y[j], d);
      }
      double gamma = 1.0;
      if (stored > 0) {
        int last = Math.floorMod(head - 1, MEMORY);
        gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
      }
      for (int i = 0; i < n; i++) {
        d[i] *= gamma;
      }
      for (int k = stored - 1; k >= 0; k--) {
        int j = Math.floorMod(head - 1 - k, MEMORY);
        double beta = rho[j] * dot(y[j], d);
        axpy(alpha[j] - beta, s[j], d);
      }
      for (int i = 0; i < n; i++) {
        d[i] = fixed[i] ? 0 : -d[i];
      }
      double slope = dot(d, pg);
      if (!(slope < 0)) {
        stored = 0;
        for (int i = 0; i < n; i++) {
          d[i] = -pg[i];
        }
        slope = dot(d, pg);
      }
      double step = stored == 0 ? Math.min(1.0, 1.0 / Math.sqrt(dot(pg, pg))) : 1.0;
      double fNew = Double.NaN;
      boolean accepted = false;
      for (int tries = 0; tries < 30; tries++) {
        for (int i = 0; i < n; i++) {
          xNew[i] = x[i] + step * d[i];
        }
        project(xNew, lower, upper);
        double decrease = 0;
        for (int i = 0; i < n; i++) {
          decrease += g[i] * (xNew[i] - x[i]);
        }
        fNew = f.valueAndGradient(xNew, gNew);
        evals++;
        if (Double.isFinite(fNew) && fNew <= fx + 1e-4 * Math.min(decrease, 0)) {
          accepted = true;
          break;
        }
        step *= 0.5;
      }
      if (!accepted) {
        break;
      }
      double[] sk = new double[n];
      double[] yk = new double[n];
      for (int i = 0; i < n; i++) {
        sk[i] = xNew[i] - x[i];
        yk[i] = gNew[i] - g[i];
      }
      double sy = dot(sk, yk);
      if (sy > 1e-12 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {
        s[head] = sk;
        y[head] = yk;
        rho[head] = 1.0 / sy;
        head = (head + 1) % MEMORY;
        stored = Math.min(stored + 1, MEMORY);
      }
      double change = fx - fNew;
      System.arraycopy(xNew, 0, x, 0, n);
      System.arraycopy(gNew, 0, g, 0, n);
      fx = fNew;
      if (change <= 1e-10 * (1 + Math.abs(fx))) {
        break;
      }
    }
    return new Result(x, fx, evals);
  }

  private static void project(double[] x, double[] lower, double[] upper) {
    for (int i = 0; i < x.length; i++) {
      if (lower != null && x[i] < lower[i]) {
        x[i] = lower[i];
      }
      if (upper != null && x[i] > upper[i]) {
        x[i] = upper[i];
      }
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }
}
